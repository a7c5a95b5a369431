"""Pure maths and rules of invoicing: fapiao lines, platform checks, posting rules. No Django."""
