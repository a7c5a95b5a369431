"""Seeded factories shared by every test module."""

from __future__ import annotations

import factory
import factory.random
from django.contrib.auth.models import Group

from suanpan.customers.models import Contact, Customer
from suanpan.users.choices import Role
from suanpan.users.models import User

factory.random.reseed_random(2026)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.django.Password("pw-for-tests-123")

    @factory.post_generation
    def role(self, create: bool, extracted: Role | str | None, **kwargs: object) -> None:
        if create and extracted:
            self.groups.add(Group.objects.get(name=str(extracted)))


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    number = factory.Sequence(lambda n: f"KH-T{n:05d}")
    name = factory.Sequence(lambda n: f"测试客户{n}有限公司")
    owner = factory.SubFactory(UserFactory)

    @classmethod
    def _create(cls, model_class: type[Customer], *args: object, **kwargs: object) -> Customer:
        from suanpan.customers.services import customer_search_refresh

        customer = super()._create(model_class, *args, **kwargs)
        customer_search_refresh(customer=customer)
        return customer


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    customer = factory.SubFactory(CustomerFactory)
    name = factory.Sequence(lambda n: f"联系人{n}")
    phone = "138 0013 8000"
