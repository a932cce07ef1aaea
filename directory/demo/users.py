"""The demo logins, the enterprises they administer, and the list `make run` prints last."""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from directory.models import Enterprise, Membership, MembershipRole
from ssb_portal.roles import ANCHOR_GROUP, OFFICIAL_GROUP, SME_GROUP

DEMO_PASSWORD = "ssb-demo-2025"
OFFICIAL_USERNAME = "official"
#: A second official: large awards wait for an official other than the one who approved them.
SECOND_OFFICIAL_USERNAME = "official2"
SME_USERNAME = "sme"
ANCHOR_USERNAME = "anchor"
ADMIN_USERNAME = "admin"


def ensure_demo_users() -> dict[str, object]:
    """The demo logins, created or reset to the demo password and roles."""
    User = get_user_model()
    password = make_password(DEMO_PASSWORD)  # hashed once for all
    roles = {
        ADMIN_USERNAME: ("", True),
        OFFICIAL_USERNAME: (OFFICIAL_GROUP, True),
        SECOND_OFFICIAL_USERNAME: (OFFICIAL_GROUP, True),
        SME_USERNAME: (SME_GROUP, False),
        ANCHOR_USERNAME: (ANCHOR_GROUP, False),
    }
    users = {}
    for username, (group, staff) in roles.items():
        user, _created = User.objects.get_or_create(
            username=username, defaults={"email": f"{username}@demo.example"}
        )
        user.password = password
        user.is_active = True
        user.is_staff = staff
        user.is_superuser = username == ADMIN_USERNAME
        user.save()
        if group:
            user.groups.add(Group.objects.get(name=group))
        users[username] = user
    return users


def attach_demo_members(users: dict, demo_enterprises: dict[str, Enterprise]) -> None:
    """The demo SME and anchor logins administer their enterprises."""
    for username, enterprise in demo_enterprises.items():
        Membership.objects.create(
            user=users[username], enterprise=enterprise, role=MembershipRole.OWNER
        )


#: Who each demo login is and what it reaches, in the order a visitor tries them. The student
#: login is made by seed_talent.
DEMO_LOGINS = [
    (OFFICIAL_USERNAME, "official: /admin/, the officials' dashboards, R&D KPIs, queues"),
    (SECOND_OFFICIAL_USERNAME, "second official: confirms the large award waiting for one"),
    (ANCHOR_USERNAME, "anchor firm's owner: demands, collaborations, applications, LCR"),
    (SME_USERNAME, "SME's owner: products, datasets, answers to demands, applications"),
    ("student", "student: scholarship applications"),
    (ADMIN_USERNAME, "superuser: everything"),
]


def demo_logins(url: str | None = None) -> str:
    """The demo logins that exist, one a line, each with the demo password and its role."""
    existing = set(
        get_user_model()
        .objects.filter(username__in=[username for username, _who in DEMO_LOGINS])
        .values_list("username", flat=True)
    )
    where = f" at {url}" if url else ""
    lines = [f"Demo logins{where} (password {DEMO_PASSWORD} for all):"]
    lines += [
        f"  {username} / {DEMO_PASSWORD}  {who}"
        for username, who in DEMO_LOGINS
        if username in existing
    ]
    return "\n".join(lines)


def demo_clerk(enterprise: Enterprise):
    """A member of a seeded firm who declares its data through the services (the seeded firms
    have no logins): an account that cannot sign in, kept across `seed_demo --replace`, which
    deletes the firms and their memberships but not the accounts."""
    user, created = get_user_model().objects.get_or_create(
        username=f"clerk-{enterprise.uscc.lower()}", defaults={"is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    Membership.objects.get_or_create(
        user=user, enterprise=enterprise, defaults={"role": MembershipRole.MEMBER}
    )
    return user
