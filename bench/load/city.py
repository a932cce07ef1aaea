"""The demo city scaled for the load test: 10,000 enterprises by default.

Reuses the portal's own seeders rather than copying them: `seed_demo` (enterprises, products
with specs, certificates and verification history, bulk-inserted; the purchase lines of the
verified anchor firms for last year and this year, recorded through the import service; the
demo logins), then `seed_alliance`, `seed_programmes` and
`seed_talent` for the alliance, the programme dashboard and the talent pages. On top of that,
`LOGIN_USERS` members who sign in during the run: each owns a verified SME with products, so
that a signed-in visitor has a landing page and a product to edit.

Called by bench/load/run.py with Django set up on the load database (its name must contain
"load": seeding deletes the directory first). Demo data is the documented exception to "every
write goes through a service".
"""

import json
import random
from pathlib import Path

ENTERPRISES = 10_000
LOGIN_USERS = 40
LOGIN_PREFIX = "load-member-"
# Not a secret: these accounts exist only in the load-test database.
LOGIN_PASSWORD = "load-test-only-password"
SAMPLE_ENTERPRISES = 500  # enterprise pages the visitors open, drawn once per seeding
SEED = 2025


def is_seeded(enterprises: int) -> bool:
    from django.contrib.auth import get_user_model

    from directory.models import Enterprise

    users = get_user_model().objects.filter(username__startswith=LOGIN_PREFIX).count()
    return Enterprise.objects.count() == enterprises and users == LOGIN_USERS


def seed_city(enterprises: int, log=print) -> None:
    from django.core.management import call_command

    log(f"Seeding the demo city with {enterprises:,} enterprises ...")
    call_command(
        "seed_demo",
        enterprises=enterprises,
        replace=True,
        outside_development=True,
        seed=SEED,
    )
    for command in ("seed_alliance", "seed_programmes", "seed_talent"):
        call_command(command, if_empty=True)
    rebuild_lcr_ledger(log)
    create_login_users(LOGIN_USERS)
    log(f"{LOGIN_USERS} members to sign in ({LOGIN_PREFIX}NN / {LOGIN_PASSWORD})")


def rebuild_lcr_ledger(log=print) -> None:
    """Sum the purchase lines into the LCR ledger once, after the scaled seeding's bulk loads."""
    from django.core.management import call_command

    call_command("rebuild_lcr_ledger")
    log("LCR ledger rebuilt")


def create_login_users(count: int) -> None:
    """`count` SME owners, each of one verified SME with verified products; the earlier
    ones (and their memberships) are replaced."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group

    from directory.models import Enterprise, Membership, MembershipRole
    from ssb_portal.roles import SME_GROUP

    User = get_user_model()
    User.objects.filter(username__startswith=LOGIN_PREFIX).delete()
    enterprises = list(
        Enterprise.objects.filter(
            kind="sme", status="verified", products__status="verified", memberships__isnull=True
        )
        .distinct()
        .order_by("pk")
        .values_list("pk", flat=True)[:count]
    )
    if len(enterprises) < count:
        raise SystemExit(f"Only {len(enterprises)} verified SMEs without members: seed more.")
    password = make_password(LOGIN_PASSWORD)  # hashed once for all
    User.objects.bulk_create(
        User(
            username=f"{LOGIN_PREFIX}{index:02d}",
            email=f"{LOGIN_PREFIX}{index:02d}@load.example",
            password=password,
        )
        for index in range(count)
    )
    users = list(User.objects.filter(username__startswith=LOGIN_PREFIX).order_by("username"))
    Group.objects.get(name=SME_GROUP).user_set.add(*users)
    Membership.objects.bulk_create(
        Membership(user=user, enterprise_id=enterprise, role=MembershipRole.OWNER)
        for user, enterprise in zip(users, enterprises, strict=True)
    )


def write_manifest(path: Path) -> dict:
    """What the Locust visitors need to know about this city, read once by the locustfile:
    enterprise pages to open, the members who sign in with their enterprise and products,
    and the LCR years."""
    from django.utils import timezone

    from directory.models import Enterprise, Membership, Product

    rng = random.Random(SEED)
    usccs = list(Enterprise.objects.filter(status="verified").values_list("uscc", flat=True))
    members = []
    for membership in (
        Membership.objects.filter(user__username__startswith=LOGIN_PREFIX)
        .select_related("user", "enterprise")
        .order_by("user__username")
    ):
        products = list(
            Product.objects.filter(enterprise=membership.enterprise, status="verified")
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        members.append(
            {
                "username": membership.user.username,
                "password": LOGIN_PASSWORD,
                "uscc": membership.enterprise.uscc,
                "products": products,
            }
        )
    manifest = {
        "enterprises": rng.sample(usccs, min(SAMPLE_ENTERPRISES, len(usccs))),
        "members": members,
        "years": [timezone.localdate().year - 1, timezone.localdate().year],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(manifest, indent=1))
    return manifest
