"""Each enterprise drawn in detail: its names, USCC, address, products, certifications and the
history of its listing."""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from directory.demo.city import (
    EXPIRED_SHARE,
    PENDING_CHANGES_SHARE,
    PRODUCT_PENDING_SHARE,
    PRODUCT_RETURNED_SHARE,
    RECOMMENDED_SHARE,
    TARGET_SHARE,
    City,
    PlanItem,
)
from directory.demo.specs import (
    LOCAL_CONTENT,
    SPECS,
    draw_local_content,
    log_uniform,
    no_specs,
    significant,
)
from directory.demo.users import SME_USERNAME
from directory.demo.vocabulary import (
    ANCHOR_CATEGORIES,
    BRAND_FIRST,
    BRAND_SECOND,
    BRANDS_TAKEN,
    CAPACITY,
    CERT_ISSUERS,
    CITY_DIVISION,
    COMPANY_SUFFIXES,
    DOMESTIC_PLACES,
    FOREIGN_BRANDS,
    FOREIGN_INDUSTRY,
    FOREIGN_PLACES,
    GIVEN_NAMES,
    INDUSTRY_BY_PARENT,
    INDUSTRY_WORDS,
    INSTITUTE_TYPES,
    MAILBOXES,
    PRODUCT_NAMES,
    PRODUCT_RETURN_REASONS,
    RETURN_REASONS,
    ROADS,
    SURNAMES,
    UNIVERSITY_SCHOOLS,
    UNIVERSITY_TYPES,
    Place,
)
from directory.models import (
    Certification,
    CertificationScheme,
    District,
    Enterprise,
    EnterpriseKind,
    ListingStatus,
    LocalContentShare,
    Product,
    StatusChange,
    SupplyCategory,
)
from directory.services.enterprises import NOT_RECOMMENDED, RECOMMENDED
from directory.validators import USCC_ALPHABET, uscc_check_character


@dataclass
class Draft:
    """An enterprise and everything that hangs off it, unsaved."""

    enterprise: Enterprise
    category_ids: list[int]
    products: list[Product]
    certifications: list[Certification]
    events: list[StatusChange]  # the enterprise's history
    product_events: list[StatusChange]  # linked to products once those have ids
    shares: list[LocalContentShare]  # the verified products' shares, from their verification


def draw_enterprise(city: City, item: PlanItem) -> Draft:
    rng = city.rng
    categories = draw_categories(city, item)
    status = item.status
    created_at, decided_at = draw_dates(city, status)
    local = item.district.is_local
    place = draw_place(city, item.district)
    name_zh, name_en, domain = draw_name(city, item, place)
    enterprise = Enterprise(
        pk=city.new_id(Enterprise),
        uscc=draw_uscc(city, item, place),
        name_zh=name_zh,
        name_en=name_en,
        kind=item.kind,
        district=item.district,
        address=draw_address(rng, item.district, place),
        contact_person=rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES),
        phone=f"1{rng.choice('3589')}{rng.randrange(10**9):09d}",
        email=f"{rng.choice(MAILBOXES)}@{domain}",
        website=f"https://www.{domain}",
        employees=draw_employees(rng, item.kind),
        status=status,
        recommended=(
            status == ListingStatus.VERIFIED
            and local
            and (item.demo == SME_USERNAME or rng.random() < RECOMMENDED_SHARE)
        ),
        created_at=created_at,
        verified_at=decided_at if status == ListingStatus.VERIFIED else None,
    )
    enterprise.annual_capacity, enterprise.capacity_unit = draw_capacity(rng, item)
    events = enterprise_history(city, enterprise, decided_at)
    if status == ListingStatus.VERIFIED and not item.demo and rng.random() < PENDING_CHANGES_SHARE:
        events.append(submit_pending_changes(city, enterprise))
    products = [
        draw_product(
            city, enterprise, item.primary if showcase else rng.choice(categories), showcase
        )
        for showcase in [item.showcase] + [False] * (product_count(city) - 1)
    ]
    product_events = [product_history(city, p) for p in products if p.status != "pending"]
    return Draft(
        enterprise=enterprise,
        category_ids=[category.pk for category in categories],
        products=products,
        certifications=draw_certifications(city, enterprise, item.primary.slug),
        events=events,
        product_events=product_events,
        shares=[
            verified_share(city, event)
            for event in product_events
            if event.to_status == ListingStatus.VERIFIED
            and event.product.local_content_share is not None
        ],
    )


def draw_categories(city: City, item: PlanItem) -> list[SupplyCategory]:
    """The main category and sometimes a sibling or two (anchors make cells and packs)."""
    rng = city.rng
    categories = [item.primary]
    if item.kind == EnterpriseKind.ANCHOR:
        categories += [city.by_slug[s] for s in ANCHOR_CATEGORIES if s in city.by_slug]
    elif rng.random() < 0.35:
        siblings = [c for c in city.leaves if c.parent_id == item.primary.parent_id]
        categories += rng.sample(siblings, min(len(siblings), rng.randint(1, 2)))
    return list({category.pk: category for category in categories}.values())


def draw_dates(city: City, status: str) -> tuple[datetime, datetime | None]:
    """Registration time and the official's decision (None while pending)."""
    rng = city.rng
    if status == ListingStatus.PENDING:
        return city.now - timedelta(days=rng.uniform(0.2, 20)), None
    created_at = city.now - timedelta(days=rng.uniform(30, 3 * 365))
    return created_at, created_at + timedelta(days=rng.uniform(0.5, 21))


def draw_brand(rng: random.Random) -> tuple[str, str]:
    while True:
        (first_zh, first_en), (second_zh, second_en) = (
            rng.choice(BRAND_FIRST),
            rng.choice(BRAND_SECOND),
        )
        if first_zh + second_zh not in BRANDS_TAKEN:
            return first_zh + second_zh, first_en + second_en


def draw_place(city: City, district: District) -> Place:
    """Where the enterprise is: what its name starts with, its division code (a local one is
    the district's), and for foreign firms the legal form."""
    if district.code == "abroad":
        return city.rng.choice(FOREIGN_PLACES)
    if not district.is_local:
        return city.rng.choice(DOMESTIC_PLACES)
    division = f"{CITY_DIVISION}{city.districts.index(district) + 1:02d}"
    named_after = district
    if len(short_name(district)) != 2:  # development zones: firms take a district's name
        named_after = city.rng.choice([d for d in city.districts if len(short_name(d)) == 2])
    return Place(short_name(named_after), named_after.name_en.split()[0], division)


def short_name(district: District) -> str:
    return district.name_zh.removesuffix("新区").removesuffix("区").removesuffix("县")


def draw_name(city: City, item: PlanItem, place: Place) -> tuple[str, str, str]:
    """(Chinese name, English name, web domain), unique in the city."""
    for attempt in range(50):
        name_zh, name_en, domain = compose_name(city, item, place)
        if attempt == 49:
            name_zh, name_en = f"{name_zh}（{len(city.names)}）", f"{name_en} ({len(city.names)})"
        if name_zh not in city.names:
            city.names.add(name_zh)
            return name_zh, name_en, domain
    raise AssertionError("unreachable")


def compose_name(city: City, item: PlanItem, place: Place) -> tuple[str, str, str]:
    """Place (sometimes), shop name, industry and legal form, as Chinese firms are named."""
    rng = city.rng
    if place.legal_form:  # a foreign firm
        (brand_zh, brand_en), (industry_zh, industry_en) = (
            rng.choice(FOREIGN_BRANDS),
            rng.choice(FOREIGN_INDUSTRY),
        )
        return (
            f"{brand_zh}{industry_zh}（{place.zh}）有限公司",
            f"{brand_en} {industry_en} {place.legal_form}",
            f"{brand_en.lower()}-{industry_en.split()[0].lower()}.example",
        )
    if item.kind == EnterpriseKind.UNIVERSITY:
        (type_zh, type_en), (school_zh, school_en) = (
            rng.choice(UNIVERSITY_TYPES),
            rng.choice(UNIVERSITY_SCHOOLS),
        )
        name_en = f"{place.en} {type_en}" + (f", {school_en}" if school_en else "")
        initials = "".join(word[0] for word in f"{place.en} {type_en}".split()).lower()
        return place.zh + type_zh + school_zh, name_en, f"{initials}.edu.example"
    brand_zh, brand_en = draw_brand(rng)
    domain_base = brand_en.lower()
    if item.kind == EnterpriseKind.RESEARCH_INSTITUTE:
        type_zh, type_en = rng.choice(INSTITUTE_TYPES)
        return (
            place.zh + brand_zh + type_zh,
            f"{place.en} {brand_en} {type_en}",
            f"{domain_base}-institute.example",
        )
    industry = INDUSTRY_BY_PARENT.get(item.primary.parent.slug, "materials")
    if item.primary.slug == "pack-bms" and item.kind != EnterpriseKind.ANCHOR:
        industry = "electronics"
    industry_zh, industry_en = rng.choice(INDUSTRY_WORDS[industry])
    suffix_zh, suffix_en = rng.choice(COMPANY_SUFFIXES)
    if item.kind == EnterpriseKind.ANCHOR:
        suffix_zh, suffix_en = "股份有限公司", "Co., Ltd."
    with_place = rng.random() < 0.5
    name_zh = (place.zh if with_place else "") + brand_zh + industry_zh + suffix_zh
    name_en = " ".join(
        part for part in (place.en if with_place else "", brand_en, industry_en, suffix_en) if part
    )
    return name_zh, name_en, f"{domain_base}-{industry_en.split()[0].lower()}.example"


def organisation_code(rng: random.Random) -> str:
    """Nine characters of an organisation code (GB 11714): eight, then their check character."""
    if rng.random() < 0.6:  # codes issued since 2015 start with MA
        body = "MA" + "".join(rng.choice(USCC_ALPHABET) for _ in range(6))
    else:
        body = f"{rng.randrange(10**8):08d}"
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(char, 36) * weight for char, weight in zip(body, weights, strict=True))
    check = 11 - total % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


def draw_uscc(city: City, item: PlanItem, place: Place) -> str:
    """A unique code: registration authority and type, division code, organisation code, and
    the check character of GB 32100-2015."""
    public_body = item.kind in {EnterpriseKind.RESEARCH_INSTITUTE, EnterpriseKind.UNIVERSITY}
    authority = "12" if public_body else "91"  # public institution / enterprise
    while True:
        body = authority + place.division + organisation_code(city.rng)
        code = body + uscc_check_character(body)
        if code not in city.usccs:
            city.usccs.add(code)
            return code


def draw_address(rng: random.Random, district: District, place: Place) -> str:
    number = rng.randint(1, 999)
    if place.legal_form:
        return f"{number} Technology Park, {place.en}"
    if not district.is_local:
        return f"{place.zh}市{rng.choice(ROADS)}{number}号"
    return f"{district.name_zh}{rng.choice(ROADS)}{number}号"


def draw_employees(rng: random.Random, kind: str) -> int:
    low, high = {
        EnterpriseKind.ANCHOR: (1_500, 30_000),
        EnterpriseKind.RESEARCH_INSTITUTE: (40, 600),
        EnterpriseKind.UNIVERSITY: (800, 6_000),
    }.get(kind, (8, 800))
    return round(log_uniform(rng, low, high))


def draw_capacity(rng: random.Random, item: PlanItem) -> tuple[Decimal | None, str]:
    spec = CAPACITY.get(item.primary.slug)
    if spec is None or item.kind == EnterpriseKind.UNIVERSITY:
        return None, ""
    unit, low, high = spec
    if item.kind == EnterpriseKind.ANCHOR:
        low, high = high / 4, high * 2
    elif item.kind == EnterpriseKind.RESEARCH_INSTITUTE:  # pilot lines
        low, high = low / 10, low
    return Decimal(f"{significant(log_uniform(rng, low, high), 3):.2f}"), unit


def product_count(city: City) -> int:
    """1 to 4 products, averaging `products_per_enterprise` (1 + a binomial of 3 trials)."""
    p = min(max((city.products_per_enterprise - 1) / 3, 0), 1)
    return 1 + sum(city.rng.random() < p for _ in range(3))


def draw_product(
    city: City, enterprise: Enterprise, category: SupplyCategory, showcase: bool = False
) -> Product:
    """A product in canonical units; a showcase product is verified and meets the target."""
    rng = city.rng
    names = PRODUCT_NAMES.get(category.slug, [(category.name_zh, category.name_en)])
    name_zh, name_en = rng.choice(names)
    series = enterprise.name_en[:1] + rng.choice("ABCDEHKLMNPRSTX")
    grade = f"{series}-{rng.randint(1, 9)}{rng.randrange(0, 100, 10):02d}"
    specs = SPECS.get(category.slug, no_specs)(rng, showcase or rng.random() < TARGET_SHARE)
    if enterprise.district.is_local and category.slug in LOCAL_CONTENT:
        specs["local_content_share"] = draw_local_content(rng, category.slug)
    created_at = enterprise.created_at + timedelta(days=rng.uniform(0, 3))
    return Product(
        pk=city.new_id(Product),
        enterprise=enterprise,
        name=f"{name_zh if rng.random() < 0.65 else name_en} {grade}",
        category=category,
        status=draw_product_status(rng, enterprise, showcase),
        created_at=min(created_at, city.now),
        **specs,
    )


def draw_product_status(rng: random.Random, enterprise: Enterprise, showcase: bool) -> str:
    """Products of an unverified enterprise wait with it; a few of the others wait or were
    returned."""
    if enterprise.status != ListingStatus.VERIFIED:
        return ListingStatus.PENDING
    roll = 1.0 if showcase else rng.random()
    if roll < PRODUCT_PENDING_SHARE:
        return ListingStatus.PENDING
    if roll < PRODUCT_PENDING_SHARE + PRODUCT_RETURNED_SHARE:
        return ListingStatus.RETURNED
    return ListingStatus.VERIFIED


def draw_certifications(city: City, enterprise: Enterprise, slug: str) -> list[Certification]:
    rng = city.rng
    kind = enterprise.kind
    academic = kind in {EnterpriseKind.UNIVERSITY, EnterpriseKind.RESEARCH_INSTITUTE}
    cells = slug in {"cell-manufacturing", "pack-bms"}
    chances = {
        CertificationScheme.ISO_9001: 0.15 if academic else 0.8,
        CertificationScheme.ISO_14001: 0.1 if academic else 0.45,
        CertificationScheme.ISO_45001: 0.05 if academic else 0.3,
        CertificationScheme.IATF_16949: (
            0.9 if kind == EnterpriseKind.ANCHOR else 0.0 if academic else 0.25
        ),
        CertificationScheme.ISO_50001: 0.5 if kind == EnterpriseKind.ANCHOR else 0.06,
        CertificationScheme.ISO_IEC_17025: (
            0.9 if slug == "testing-certification" else 0.5 if academic else 0.03
        ),
        CertificationScheme.UN_38_3: 0.8 if cells else 0.0,
    }
    certifications = []
    for scheme, chance in chances.items():
        if rng.random() >= chance:
            continue
        issuer, prefix = rng.choice(CERT_ISSUERS)
        if rng.random() < EXPIRED_SHARE:
            valid_until = city.today - timedelta(days=rng.randint(1, 720))
        else:
            valid_until = city.today + timedelta(days=rng.randint(30, 1_095))
        year = (valid_until.year - 3) % 100
        letter = scheme.replace("/", "").split()[0][:1]
        certifications.append(
            Certification(
                pk=city.new_id(Certification),
                enterprise=enterprise,
                scheme=scheme,
                number=f"{prefix}{year:02d}{letter}{rng.randrange(10**6):06d}",
                issuer=issuer,
                valid_until=valid_until,
            )
        )
    return certifications


def enterprise_history(
    city: City, enterprise: Enterprise, decided_at: datetime | None
) -> list[StatusChange]:
    """Registration, the official's decision and the recommendation, as the services record
    them."""
    events = [
        StatusChange(
            pk=city.new_id(StatusChange),
            enterprise=enterprise,
            created_at=enterprise.created_at,
            from_status="",
            to_status=ListingStatus.PENDING,
            reason=_("Registered"),
        )
    ]
    if enterprise.status == ListingStatus.PENDING:
        return events
    returned = enterprise.status == ListingStatus.RETURNED
    events.append(
        StatusChange(
            pk=city.new_id(StatusChange),
            enterprise=enterprise,
            actor_id=city.official_id,
            created_at=decided_at,
            from_status=ListingStatus.PENDING,
            to_status=enterprise.status,
            reason=city.rng.choice(RETURN_REASONS) if returned else "",
        )
    )
    if enterprise.recommended:
        events.append(
            StatusChange(
                pk=city.new_id(StatusChange),
                enterprise=enterprise,
                actor_id=city.official_id,
                created_at=min(decided_at + timedelta(days=city.rng.uniform(1, 30)), city.now),
                from_status=NOT_RECOMMENDED,
                to_status=RECOMMENDED,
            )
        )
    return events


def submit_pending_changes(city: City, enterprise: Enterprise) -> StatusChange:
    """A verified enterprise that has sent new contact details for an official to check."""
    changes = {
        "phone": f"1{city.rng.choice('3589')}{city.rng.randrange(10**9):09d}",
        "employees": round((enterprise.employees or 10) * city.rng.uniform(1.05, 1.5)),
    }
    enterprise.pending_changes = changes
    return StatusChange(
        pk=city.new_id(StatusChange),
        enterprise=enterprise,
        created_at=city.now - timedelta(days=city.rng.uniform(0.2, 10)),
        from_status=ListingStatus.VERIFIED,
        to_status=ListingStatus.VERIFIED,
        reason=_("Changes submitted for verification"),
        changes=changes,
    )


def product_history(city: City, product: Product) -> StatusChange:
    returned = product.status == ListingStatus.RETURNED
    return StatusChange(
        pk=city.new_id(StatusChange),
        enterprise=product.enterprise,
        product=product,
        actor_id=city.official_id,
        created_at=min(product.created_at + timedelta(days=city.rng.uniform(0.5, 14)), city.now),
        from_status=ListingStatus.PENDING,
        to_status=product.status,
        reason=city.rng.choice(PRODUCT_RETURN_REASONS) if returned else "",
    )


def verified_share(city: City, verification: StatusChange) -> LocalContentShare:
    """The share a product's verification put in force from its day, as product_verify does."""
    return LocalContentShare(
        pk=city.new_id(LocalContentShare),
        product=verification.product,
        share=verification.product.local_content_share,
        valid_from=timezone.localdate(verification.created_at),
        verified_by_id=verification.actor_id,
        verified_at=verification.created_at,
    )
