"""What the catalog API modules share."""

# Operation ids name the module the API lived in before it became a package: clients
# generated from the schema keep their method names.
OPERATION_PREFIX = "suanpan_catalog_api_"
