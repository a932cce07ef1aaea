"""Load a believable demo city into the directory.

`manage.py seed_demo` writes enterprises of every kind across every supply category and
district, their products with technical specs, certifications, the verification history and
four demo logins. Everything is drawn from one random seed, so the same seed gives the same
city (names, USCCs, specs); dates are relative to today.

Demo data is not a user action: it is written with bulk inserts (COPY on PostgreSQL, a
prepared INSERT run by executemany on SQLite), the documented exception to "every write goes
through services", so that 100,000 enterprises load in two or three minutes. It keeps to the
models' constraints by construction (recommended only when verified and local, specs within
their ranges, USCC check characters computed by `uscc_check_character`). It hands out the
ids itself, so run it while nobody else writes to the directory.

    manage.py seed_demo [--enterprises 240] [--seed 2025] [--products-per-enterprise 3]
                        [--if-empty | --replace]
"""

import math
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import (
    CapacityUnit,
    Certification,
    CertificationScheme,
    District,
    Enterprise,
    EnterpriseKind,
    ListingStatus,
    Membership,
    MembershipRole,
    Product,
    PurchaseImportSource,
    StatusChange,
    SupplyCategory,
)
from directory.services import NOT_RECOMMENDED, RECOMMENDED, purchase_lines_import
from directory.validators import USCC_ALPHABET, uscc_check_character
from ssb_portal.roles import ANCHOR_GROUP, OFFICIAL_GROUP, SME_GROUP

DEMO_PASSWORD = "ssb-demo-2025"
OFFICIAL_USERNAME = "official"
SME_USERNAME = "sme"
ANCHOR_USERNAME = "anchor"
ADMIN_USERNAME = "admin"

DEFAULT_ENTERPRISES = 240
DEFAULT_SEED = 2025
DEFAULT_PRODUCTS_PER_ENTERPRISE = 3.0
CHUNK = 2_000  # enterprises generated and inserted at a time
DEFAULT_PURCHASE_LINES = 120  # per verified anchor firm and year, last year and this year
# Chance that a demo purchase goes to a verified local supplier, last year and this year: the
# anchor firms' LCR rises towards the programme's trajectory without reaching it everywhere.
LOCAL_PURCHASE_SHARE = {-1: 0.38, 0: 0.50}
UNREGISTERED_SUPPLIERS = [
    ("Hanwa Battery Materials K.K.", ""),
    ("Nordic Cell Components AB", ""),
    ("Pacific Precision Foils Inc.", ""),
    ("鑫源贸易（深圳）有限公司", ""),
]

# Shares of the city; SMEs are the rest.
KIND_SHARES = {
    EnterpriseKind.ANCHOR: 0.02,
    EnterpriseKind.RESEARCH_INSTITUTE: 0.03,
    EnterpriseKind.UNIVERSITY: 0.015,
    EnterpriseKind.OTHER: 0.01,
}
PENDING_SHARE = 0.05
RETURNED_SHARE = 0.02
RECOMMENDED_SHARE = 0.3  # of verified local enterprises
PRODUCT_PENDING_SHARE = 0.06  # of the products of verified enterprises
PRODUCT_RETURNED_SHARE = 0.02
PENDING_CHANGES_SHARE = 0.02  # of verified enterprises: edits waiting for an official
LOCAL_SHARE = 0.85
TARGET_SHARE = 0.2  # of products drawn from the seed's target range
EXPIRED_SHARE = 0.1  # of certifications

# --- word lists ------------------------------------------------------------------------------

# Shop names (字号) are two characters; their pinyin makes the English name.
BRAND_FIRST = [
    ("华", "Hua"), ("恒", "Heng"), ("锐", "Rui"), ("晶", "Jing"), ("鼎", "Ding"),
    ("盛", "Sheng"), ("嘉", "Jia"), ("新", "Xin"), ("天", "Tian"), ("金", "Jin"),
    ("博", "Bo"), ("东", "Dong"), ("海", "Hai"), ("正", "Zheng"), ("星", "Xing"),
    ("德", "De"), ("元", "Yuan"), ("鑫", "Xin"), ("泰", "Tai"), ("安", "An"),
    ("润", "Run"), ("宏", "Hong"), ("卓", "Zhuo"), ("启", "Qi"), ("航", "Hang"),
    ("凯", "Kai"), ("铭", "Ming"), ("昊", "Hao"), ("辰", "Chen"), ("睿", "Rui"),
    ("澜", "Lan"), ("朗", "Lang"), ("越", "Yue"), ("青", "Qing"), ("翔", "Xiang"),
]  # fmt: skip
BRAND_SECOND = [
    ("锂", "li"), ("能", "neng"), ("源", "yuan"), ("创", "chuang"), ("芯", "xin"),
    ("固", "gu"), ("邦", "bang"), ("达", "da"), ("川", "chuan"), ("驰", "chi"),
    ("拓", "tuo"), ("科", "ke"), ("力", "li"), ("晟", "sheng"), ("瀚", "han"),
    ("宇", "yu"), ("禾", "he"), ("晖", "hui"), ("泽", "ze"), ("诺", "nuo"),
    ("维", "wei"), ("曜", "yao"), ("钧", "jun"), ("磐", "pan"), ("硕", "shuo"),
]  # fmt: skip
# Shop names that belong to well-known real companies are never drawn.
BRANDS_TAKEN = {"华能", "天能", "星源", "金力", "瑞能", "鑫科", "天科", "德力", "正泰", "天力"}

# Industry words (行业) by what the enterprise mainly supplies.
INDUSTRY_WORDS = {
    "materials": [
        ("新材料", "New Materials"), ("材料科技", "Materials Technology"),
        ("先进材料", "Advanced Materials"), ("能源材料", "Energy Materials"),
        ("锂电材料", "Lithium Battery Materials"), ("纳米科技", "Nanotechnology"),
        ("固态电池材料", "Solid-State Battery Materials"), ("精细化工", "Fine Chemicals"),
    ],
    "cells": [
        ("新能源", "New Energy"), ("动力电池", "Power Battery"), ("储能科技", "Energy Storage"),
        ("电池科技", "Battery Technology"), ("能源科技", "Energy Technology"),
    ],
    "electronics": [("电子科技", "Electronics"), ("电控技术", "Power Control Technology")],
    "equipment": [
        ("智能装备", "Intelligent Equipment"), ("精密机械", "Precision Machinery"),
        ("自动化设备", "Automation Equipment"),
    ],
    "services": [("检测技术", "Testing Technology"), ("质量技术服务", "Quality Services")],
}  # fmt: skip
INDUSTRY_BY_PARENT = {
    "solid-electrolyte": "materials",
    "cathode": "materials",
    "anode": "materials",
    "auxiliary-materials": "materials",
    "cells-and-packs": "cells",
    "equipment": "equipment",
    "services": "services",
}
COMPANY_SUFFIXES = [
    ("有限公司", "Co., Ltd."),
    ("有限公司", "Co., Ltd."),
    ("股份有限公司", "Corporation"),
    ("有限责任公司", "Co., Ltd."),
]
UNIVERSITY_TYPES = [
    ("理工大学", "University of Technology"),
    ("科技大学", "University of Science and Technology"),
    ("大学", "University"),
    ("工程学院", "Institute of Technology"),
]
UNIVERSITY_SCHOOLS = [
    ("", ""),
    ("材料科学与工程学院", "School of Materials Science and Engineering"),
    ("化学化工学院", "School of Chemistry and Chemical Engineering"),
    ("新能源学院", "School of New Energy"),
    ("机械工程学院", "School of Mechanical Engineering"),
]
INSTITUTE_TYPES = [
    ("固态电池研究院", "Solid-State Battery Research Institute"),
    ("先进储能材料研究所", "Institute of Advanced Energy Storage Materials"),
    ("新能源技术研究院", "New Energy Technology Research Institute"),
    ("电化学工程研究中心", "Electrochemical Engineering Research Centre"),
]


class Place(NamedTuple):
    zh: str  # as a name starts with it
    en: str
    division: str  # administrative division code: the USCC's characters 3 to 8
    legal_form: str = ""  # for foreign firms


# Places outside the municipality, with their division codes.
DOMESTIC_PLACES = [
    Place("苏州", "Suzhou", "320500"), Place("合肥", "Hefei", "340100"),
    Place("宜宾", "Yibin", "511500"), Place("常州", "Changzhou", "320400"),
    Place("宁波", "Ningbo", "330200"), Place("西安", "Xi'an", "610100"),
    Place("成都", "Chengdu", "510100"), Place("厦门", "Xiamen", "350200"),
    Place("赣州", "Ganzhou", "360700"), Place("青岛", "Qingdao", "370200"),
    Place("长沙", "Changsha", "430100"), Place("天津", "Tianjin", "120100"),
]  # fmt: skip
# Foreign firms hold a code through their Chinese entity (registered in Shanghai's Pudong).
FOREIGN_PLACES = [
    Place("德国", "Stuttgart, Germany", "310115", "GmbH"),
    Place("美国", "Austin, TX, USA", "310115", "Inc."),
    Place("日本", "Nagoya, Japan", "310115", "K.K."),
    Place("韩国", "Ulsan, Korea", "310115", "Co., Ltd."),
    Place("法国", "Grenoble, France", "310115", "SAS"),
]
FOREIGN_BRANDS = [
    ("奥瑞恩", "Aurion"), ("凯斯卓", "Kestrel"), ("诺德莱", "Nordlyte"), ("赫维昂", "Helvion"),
    ("梅里迪亚", "Meridia"), ("泰萨罗", "Tessaro"), ("奎利昂", "Quellion"), ("瓦伦塔", "Varenta"),
    ("卢梅里斯", "Lumeris"), ("科尔瓦恩", "Corvane"),
]  # fmt: skip
FOREIGN_INDUSTRY = [
    ("先进材料", "Advanced Materials"),
    ("电池技术", "Battery Technologies"),
    ("能源系统", "Energy Systems"),
]
CITY_DIVISION = "3399"  # the (fictional) municipality's division code; districts add 01, 02…

ROADS = ["科创路", "高新大道", "新材料产业园", "创业路", "金桥路", "纬二路", "经三路", "智造大道"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高梁宋郑谢韩唐冯"
GIVEN_NAMES = [
    "伟", "磊", "敏", "静", "丽", "强", "军", "洋", "勇", "艳", "杰", "娟", "涛",
    "明", "超", "华", "平", "刚", "婷", "鹏", "晨", "宇航", "子涵", "思远", "雨桐",
]  # fmt: skip
MAILBOXES = ["sales", "info", "contact", "market", "bd"]

RETURN_REASONS = [
    "营业执照扫描件不清晰，请重新上传。",
    "统一社会信用代码与营业执照不一致，请核对。",
    "注册地址缺少门牌号，请补充完整。",
    "联系人电话无法接通，请更新联系方式。",
    "产品技术参数缺少检测报告编号，请补充。",
]
PRODUCT_RETURN_REASONS = [
    "离子电导率缺少第三方检测报告，请补充。",
    "价格单位应为元/千克，请核对。",
    "循环次数与检测报告不一致，请更正。",
]

CERT_ISSUERS = [
    ("中联质量认证中心", "ZL"),
    ("华夏标准认证有限公司", "HX"),
    ("北辰认证服务有限公司", "BC"),
    ("东方检验认证集团", "DF"),
    ("Nordcert GmbH", "NC"),
]

# --- products: names and specs by category ------------------------------------------------------

PRODUCT_NAMES = {
    "sulfide-electrolyte": [
        ("Li6PS5Cl 硫银锗矿型电解质粉体", "Li6PS5Cl argyrodite electrolyte powder"),
        ("Li5.4PS4.4Cl1.6 高电导电解质", "Li5.4PS4.4Cl1.6 high-conductivity electrolyte"),
        ("Li10GeP2S12 电解质", "Li10GeP2S12 electrolyte"),
        ("Li7P3S11 玻璃陶瓷电解质", "Li7P3S11 glass-ceramic electrolyte"),
        ("硫化物电解质膜（30 µm）", "Sulfide electrolyte membrane (30 µm)"),
    ],
    "oxide-electrolyte": [
        ("LLZTO 石榴石型电解质粉体", "LLZTO garnet electrolyte powder"),
        ("LATP 陶瓷电解质片", "LATP ceramic electrolyte sheet"),
        ("LLZO 复合电解质膜", "LLZO composite electrolyte membrane"),
        ("LLTO 钙钛矿型电解质", "LLTO perovskite electrolyte"),
    ],
    "polymer-electrolyte": [
        ("PEO-LiTFSI 聚合物电解质膜", "PEO-LiTFSI polymer electrolyte film"),
        ("原位固化聚合物电解质", "In-situ cured polymer electrolyte"),
        ("PVDF-HFP 复合电解质膜", "PVDF-HFP composite electrolyte membrane"),
    ],
    "halide-electrolyte": [
        ("Li3InCl6 卤化物电解质", "Li3InCl6 halide electrolyte"),
        ("Li3YCl6 卤化物电解质", "Li3YCl6 halide electrolyte"),
        ("Li2ZrCl6 低成本卤化物电解质", "Li2ZrCl6 low-cost halide electrolyte"),
    ],
    "li-rich-mn-cathode": [
        ("富锂锰基正极材料", "Li-rich manganese-based cathode"),
        ("Li1.2Mn0.54Ni0.13Co0.13O2 正极", "Li1.2Mn0.54Ni0.13Co0.13O2 cathode"),
        ("包覆型富锂锰基正极", "Coated Li-rich manganese cathode"),
    ],
    "high-nickel-cathode": [
        ("NCM811 单晶正极", "NCM811 single-crystal cathode"),
        ("Ni90 超高镍正极", "Ni90 ultra-high-nickel cathode"),
        ("NCA 正极材料", "NCA cathode"),
    ],
    "lithium-metal-anode": [
        ("超薄锂箔（20 µm）", "Ultra-thin lithium foil (20 µm)"),
        ("锂铜复合带", "Lithium-copper composite strip"),
        ("三维骨架锂金属负极", "3D-host lithium metal anode"),
    ],
    "silicon-carbon-anode": [
        ("气相沉积硅碳负极", "CVD silicon-carbon anode"),
        ("氧化亚硅负极", "SiOx anode"),
        ("纳米硅碳复合负极", "Nano silicon-carbon composite anode"),
    ],
    "composite-current-collector": [
        ("PET 复合铜箔（4.5 µm）", "PET composite copper foil (4.5 µm)"),
        ("PP 复合铜集流体", "PP composite copper current collector"),
        ("复合铝集流体", "Composite aluminium current collector"),
    ],
    "dry-process-binder": [
        ("PTFE 干法电极粘结剂", "PTFE dry-electrode binder"),
        ("纤维化粘结剂母粒", "Fibrillating binder masterbatch"),
    ],
    "conductive-agent": [
        ("单壁碳纳米管导电浆料", "Single-walled carbon nanotube conductive paste"),
        ("石墨烯导电剂", "Graphene conductive agent"),
        ("多壁碳纳米管粉体", "Multi-walled carbon nanotube powder"),
    ],
    "cell-manufacturing": [
        ("20 Ah 硫化物全固态软包电芯", "20 Ah sulfide all-solid-state pouch cell"),
        ("60 Ah 半固态方形电芯", "60 Ah semi-solid prismatic cell"),
        ("无人机用高比能固态电芯", "High-energy solid-state cell for drones"),
    ],
    "pack-bms": [
        ("储能电池簇 BMS", "Energy-storage battery-cluster BMS"),
        ("48 V 固态电池包", "48 V solid-state battery pack"),
        ("人形机器人电池模组", "Battery module for humanoid robots"),
    ],
    "production-equipment": [
        ("干法电极成膜设备", "Dry-electrode film-forming line"),
        ("温等静压机", "Warm isostatic press"),
        ("硫化物电解质合成反应釜", "Sulfide electrolyte synthesis reactor"),
        ("惰性气氛手套箱产线", "Inert-atmosphere glovebox line"),
    ],
    "testing-certification": [
        ("UN 38.3 运输安全测试", "UN 38.3 transport safety testing"),
        ("固态电解质离子电导率测试", "Solid electrolyte ionic conductivity testing"),
        ("电芯循环寿命测试", "Cell cycle-life testing"),
    ],
}  # fmt: skip

# Capacity by category: (unit, low, high) per year; None when capacity means nothing.
CAPACITY = {
    "sulfide-electrolyte": (CapacityUnit.TONNES, 5, 500),
    "oxide-electrolyte": (CapacityUnit.TONNES, 10, 2_000),
    "polymer-electrolyte": (CapacityUnit.TONNES, 50, 3_000),
    "halide-electrolyte": (CapacityUnit.TONNES, 1, 100),
    "li-rich-mn-cathode": (CapacityUnit.TONNES, 500, 20_000),
    "high-nickel-cathode": (CapacityUnit.TONNES, 1_000, 50_000),
    "lithium-metal-anode": (CapacityUnit.TONNES, 5, 500),
    "silicon-carbon-anode": (CapacityUnit.TONNES, 100, 20_000),
    "composite-current-collector": (CapacityUnit.SQUARE_METRES, 1_000_000, 200_000_000),
    "dry-process-binder": (CapacityUnit.TONNES, 50, 3_000),
    "conductive-agent": (CapacityUnit.TONNES, 100, 10_000),
    "cell-manufacturing": (CapacityUnit.GWH, 0.5, 40),
    "pack-bms": (CapacityUnit.UNITS, 1_000, 500_000),
    "production-equipment": (CapacityUnit.UNITS, 10, 500),
}

# Weight of each leaf category as an SME's main line of business (unknown leaves: 1).
SME_CATEGORY_WEIGHTS = {
    "sulfide-electrolyte": 8,
    "oxide-electrolyte": 7,
    "polymer-electrolyte": 5,
    "halide-electrolyte": 3,
    "li-rich-mn-cathode": 6,
    "high-nickel-cathode": 6,
    "lithium-metal-anode": 5,
    "silicon-carbon-anode": 6,
    "composite-current-collector": 6,
    "dry-process-binder": 4,
    "conductive-agent": 6,
    "cell-manufacturing": 3,
    "pack-bms": 5,
    "production-equipment": 6,
    "testing-certification": 3,
}
ANCHOR_CATEGORIES = ["cell-manufacturing", "pack-bms"]
OTHER_KIND_CATEGORIES = ["testing-certification", "production-equipment"]
RESEARCH_CATEGORIES = [
    "sulfide-electrolyte",
    "oxide-electrolyte",
    "halide-electrolyte",
    "li-rich-mn-cathode",
    "lithium-metal-anode",
    "testing-certification",
]

# --- random helpers -----------------------------------------------------------------------------


def log_uniform(rng: random.Random, low: float, high: float) -> float:
    return math.exp(rng.uniform(math.log(low), math.log(high)))


def significant(value: float, digits: int = 3) -> float:
    return float(f"{value:.{digits}g}")


def price(rng: random.Random, low: float, high: float) -> Decimal:
    """A price in CNY/kg with two decimals."""
    return Decimal(f"{log_uniform(rng, low, high):.2f}")


# --- specs by category: each returns the product's spec fields --------------------------------
# `meets` asks for a product that meets the seed's target (table of suggestion 1).


def sulfide_specs(rng: random.Random, meets: bool) -> dict:
    sigma = log_uniform(rng, 1.01e-2, 2.5e-2) if meets else log_uniform(rng, 1e-3, 9.9e-3)
    return {"ionic_conductivity": significant(sigma), "price": price(rng, 1_500, 12_000)}


def oxide_specs(rng: random.Random, meets: bool) -> dict:
    asr = rng.uniform(5, 9.9) if meets else rng.uniform(10.1, 60)
    return {
        "asr": round(asr, 1),
        "ionic_conductivity": significant(log_uniform(rng, 1e-4, 1.5e-3)),
        "price": price(rng, 300, 3_000),
    }


def polymer_specs(rng: random.Random, meets: bool) -> dict:
    return {
        "ionic_conductivity": significant(log_uniform(rng, 1e-5, 5e-4)),
        "price": price(rng, 200, 1_500),
    }


def halide_specs(rng: random.Random, meets: bool) -> dict:
    return {
        "ionic_conductivity": significant(log_uniform(rng, 3e-4, 3e-3)),
        "price": price(rng, 3_000, 20_000),
    }


def li_rich_specs(rng: random.Random, meets: bool) -> dict:
    if meets:
        capacity, decay = rng.uniform(300.5, 320), rng.uniform(0.02, 0.049)
    else:
        capacity, decay = rng.uniform(220, 320), rng.uniform(0.02, 0.2)
        if capacity > 300 and decay < 0.05:
            decay = rng.uniform(0.05, 0.2)
    return {
        "specific_capacity": round(capacity, 1),
        "decay_rate": round(decay, 3),
        "price": price(rng, 80, 300),
    }


def high_nickel_specs(rng: random.Random, meets: bool) -> dict:
    return {
        "specific_capacity": round(rng.uniform(195, 228), 1),
        "decay_rate": round(rng.uniform(0.02, 0.12), 3),
        "price": price(rng, 150, 350),
    }


def lithium_metal_specs(rng: random.Random, meets: bool) -> dict:
    if meets:
        efficiency, cycles = rng.uniform(99.51, 99.8), rng.randrange(500, 801, 50)
    else:
        efficiency, cycles = rng.uniform(98.5, 99.8), rng.randrange(200, 801, 50)
        if efficiency > 99.5 and cycles >= 500:
            cycles = rng.randrange(200, 451, 50)
    return {
        "coulombic_efficiency": round(efficiency, 2),
        "coulombic_efficiency_cycles": cycles,
        "price": price(rng, 800, 4_000),
    }


def silicon_carbon_specs(rng: random.Random, meets: bool) -> dict:
    return {
        "specific_capacity": round(rng.uniform(450, 1_800), 1),
        "decay_rate": round(rng.uniform(0.03, 0.15), 3),
        "price": price(rng, 100, 600),
    }


def collector_specs(rng: random.Random, meets: bool) -> dict:
    reduction = rng.uniform(40.1, 60) if meets else rng.uniform(20, 40)
    return {"weight_reduction": round(reduction, 1), "price": price(rng, 80, 400)}


def binder_specs(rng: random.Random, meets: bool) -> dict:
    return {"price": price(rng, 150, 800)}


def conductive_agent_specs(rng: random.Random, meets: bool) -> dict:
    return {"price": price(rng, 50, 600)}


def no_specs(rng: random.Random, meets: bool) -> dict:
    return {}


# Local assemblers buy part of the value elsewhere: (chance the share is given, low, high) %.
LOCAL_CONTENT = {"pack-bms": (0.6, 20, 60), "cell-manufacturing": (0.3, 50, 90)}


def draw_local_content(rng: random.Random, slug: str) -> Decimal | None:
    chance, low, high = LOCAL_CONTENT[slug]
    return Decimal(f"{rng.uniform(low, high):.2f}") if rng.random() < chance else None


SPECS = {
    "sulfide-electrolyte": sulfide_specs,
    "oxide-electrolyte": oxide_specs,
    "polymer-electrolyte": polymer_specs,
    "halide-electrolyte": halide_specs,
    "li-rich-mn-cathode": li_rich_specs,
    "high-nickel-cathode": high_nickel_specs,
    "lithium-metal-anode": lithium_metal_specs,
    "silicon-carbon-anode": silicon_carbon_specs,
    "composite-current-collector": collector_specs,
    "dry-process-binder": binder_specs,
    "conductive-agent": conductive_agent_specs,
}

# --- the plan: who is who, decided before anything is drawn in detail -------------------------


@dataclass
class PlanItem:
    kind: str
    primary: SupplyCategory | None = None
    district: District | None = None
    status: str = ListingStatus.VERIFIED
    demo: str = ""  # the username of the demo login that administers the enterprise
    showcase: bool = False  # its first product, verified, meets the seed's target


@dataclass
class City:
    """What the generator needs from the database, and what it has handed out so far."""

    rng: random.Random
    now: datetime
    today: date
    leaves: list[SupplyCategory]
    by_slug: dict[str, SupplyCategory]
    districts: list[District]
    official_id: int
    products_per_enterprise: float
    last_ids: dict = field(default_factory=dict)  # model -> the last id handed out
    usccs: set = field(default_factory=set)
    names: set = field(default_factory=set)

    def new_id(self, model: type[models.Model]) -> int:
        """Ids are handed out here, so that rows link up before they are written."""
        self.last_ids[model] += 1
        return self.last_ids[model]


def kind_counts(n: int) -> dict[str, int]:
    counts = {kind: max(1, round(n * share)) for kind, share in KIND_SHARES.items()}
    counts[EnterpriseKind.ANCHOR] = max(2, counts[EnterpriseKind.ANCHOR])
    counts[EnterpriseKind.SME] = n - sum(counts.values())
    return counts


def build_plan(city: City, n: int) -> list[PlanItem]:
    """Kinds, main categories, districts and statuses of n enterprises, covering every leaf
    category (the first SMEs take one each and show a product that meets the seed's target)
    and every district (the first enterprises take one each)."""
    rng = city.rng
    plan = [PlanItem(kind) for kind, count in kind_counts(n).items() for _ in range(count)]
    rng.shuffle(plan)
    smes = [item for item in plan if item.kind == EnterpriseKind.SME]
    for leaf, item in zip(city.leaves, smes, strict=False):
        item.primary, item.showcase = leaf, True
    for item in plan:
        item.primary = item.primary or draw_primary_category(city, item.kind)
    for district, item in zip(city.districts, plan, strict=False):
        item.district = district
    for item in plan:
        item.district = item.district or draw_district(city)
    choose_demo_enterprises(city, plan)
    assign_statuses(city, plan)
    return plan


def draw_primary_category(city: City, kind: str) -> SupplyCategory:
    rng = city.rng
    slugs = {
        EnterpriseKind.ANCHOR: ANCHOR_CATEGORIES,
        EnterpriseKind.OTHER: OTHER_KIND_CATEGORIES,
        EnterpriseKind.RESEARCH_INSTITUTE: RESEARCH_CATEGORIES,
        EnterpriseKind.UNIVERSITY: RESEARCH_CATEGORIES,
    }.get(kind)
    choices = [city.by_slug[slug] for slug in slugs or () if slug in city.by_slug]
    if choices:
        return rng.choice(choices)
    weights = [SME_CATEGORY_WEIGHTS.get(leaf.slug, 1) for leaf in city.leaves]
    return rng.choices(city.leaves, weights)[0]


def draw_district(city: City) -> District:
    local = [d for d in city.districts if d.is_local]
    outside = [d for d in city.districts if not d.is_local]
    if outside and city.rng.random() > LOCAL_SHARE:
        return city.rng.choices(outside, [4 if d.code == "other-cn" else 1 for d in outside])[0]
    # Industrial zones hold more of the industry than the old town districts.
    weights = [3 if d.code in {"hitech", "etdz", "lingang"} else 1 for d in local]
    return city.rng.choices(local, weights)[0]


def choose_demo_enterprises(city: City, plan: list[PlanItem]) -> None:
    """The demo SME (a sulfide electrolyte maker if there is one) and the demo anchor; both
    local, swapping districts with another enterprise so that every district stays covered."""
    smes = [item for item in plan if item.kind == EnterpriseKind.SME]
    sme = next((i for i in smes if i.primary.slug == "sulfide-electrolyte"), smes[0])
    anchor = next(item for item in plan if item.kind == EnterpriseKind.ANCHOR)
    sme.demo, anchor.demo = SME_USERNAME, ANCHOR_USERNAME
    for item in (sme, anchor):
        if not item.district.is_local:
            other = next(o for o in plan if not o.demo and o.district.is_local)
            item.district, other.district = other.district, item.district


def assign_statuses(city: City, plan: list[PlanItem]) -> None:
    """Some registrations wait for an official, a few were returned; the rest are verified."""
    n = len(plan)
    pending, returned = max(1, round(n * PENDING_SHARE)), max(1, round(n * RETURNED_SHARE))
    candidates = [item for item in plan if not item.demo and not item.showcase]
    chosen = city.rng.sample(candidates, min(len(candidates), pending + returned))
    for index, item in enumerate(chosen):
        item.status = ListingStatus.PENDING if index < pending else ListingStatus.RETURNED


# --- drawing one enterprise ----------------------------------------------------------------------


@dataclass
class Draft:
    """An enterprise and everything that hangs off it, unsaved."""

    enterprise: Enterprise
    category_ids: list[int]
    products: list[Product]
    certifications: list[Certification]
    events: list[StatusChange]  # the enterprise's history
    product_events: list[StatusChange]  # linked to products once those have ids


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
    return Draft(
        enterprise=enterprise,
        category_ids=[category.pk for category in categories],
        products=products,
        certifications=draw_certifications(city, enterprise, item.primary.slug),
        events=events,
        product_events=[product_history(city, p) for p in products if p.status != "pending"],
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


# --- writing -------------------------------------------------------------------------------------


SEEDED_MODELS = [Enterprise, Enterprise.categories.through, Product, Certification, StatusChange]


def seed_purchases(city: City, lines_per_year: int) -> int:
    """Purchase lines of every verified anchor firm, recorded as an ERP would send them.

    They go through the import service, so the demo data obeys the same rules as real data.
    """
    suppliers = list(
        Enterprise.objects.filter(status=ListingStatus.VERIFIED)
        .exclude(kind=EnterpriseKind.ANCHOR)
        .select_related("district")
        .prefetch_related(
            "categories",
            models.Prefetch(
                "products",
                queryset=Product.objects.filter(status=ListingStatus.VERIFIED),
                to_attr="verified_products",
            ),
        )
    )
    suppliers = [supplier for supplier in suppliers if supplier.categories.all()]
    local = [supplier for supplier in suppliers if supplier.district.is_local]
    remote = [supplier for supplier in suppliers if not supplier.district.is_local]
    categories = [category.slug for category in city.leaves]
    recorded = 0
    anchors = Enterprise.objects.filter(kind=EnterpriseKind.ANCHOR, status=ListingStatus.VERIFIED)
    for anchor in anchors.order_by("pk"):
        rows = []
        for offset, local_share in LOCAL_PURCHASE_SHARE.items():
            year = city.today.year + offset
            last_day = city.today if offset == 0 else date(year, 12, 31)
            span = (last_day - date(year, 1, 1)).days
            for number in range(1, lines_per_year + 1):
                rows.append(
                    demo_purchase_row(
                        city, year, number, span, local_share, local, remote, categories
                    )
                )
        purchase_lines_import(
            actor=None, buyer=anchor, raw_rows=rows, source=PurchaseImportSource.COMMAND
        )
        recorded += len(rows)
    return recorded


def demo_purchase_row(
    city: City,
    year: int,
    number: int,
    span_days: int,
    local_share: float,
    local: list[Enterprise],
    remote: list[Enterprise],
    categories: list[str],
) -> dict:
    rng = city.rng
    row = {
        "invoice_no": f"DEMO-{year}-{number:05d}",
        "line_no": 1,
        "invoice_date": (date(year, 1, 1) + timedelta(days=rng.randint(0, span_days))).isoformat(),
        # Most components cost tens of thousands of yuan a line; a few are large orders.
        "amount": f"{log_uniform(rng, 8_000, 1_500_000):.2f}",
    }
    draw = rng.random()
    if draw < local_share and local:
        supplier = rng.choice(local)
    elif draw < 0.9 and remote:
        supplier = rng.choice(remote)
    else:
        name, uscc = rng.choice(UNREGISTERED_SUPPLIERS)
        return row | {
            "supplier_name": name,
            "supplier_uscc": uscc,
            "category": rng.choice(categories),
        }
    row |= {
        "supplier_uscc": supplier.uscc,
        "supplier_name": supplier.name_zh,
        "category": rng.choice(list(supplier.categories.all())).slug,
    }
    if supplier.verified_products and rng.random() < 0.4:
        row["product"] = rng.choice(supplier.verified_products).pk
    return row


def insert(city: City, drafts: list[Draft]) -> None:
    """Write a chunk of drafts, parents first."""
    through = Enterprise.categories.through
    insert_rows(Enterprise, [d.enterprise for d in drafts])
    insert_rows(
        through,
        [
            through(pk=city.new_id(through), enterprise_id=d.enterprise.pk, supplycategory_id=c)
            for d in drafts
            for c in d.category_ids
        ],
    )
    insert_rows(Product, [p for d in drafts for p in d.products])
    insert_rows(Certification, [c for d in drafts for c in d.certifications])
    insert_rows(StatusChange, [e for d in drafts for e in d.events + d.product_events])


def insert_rows(model: type[models.Model], objects: list[models.Model]) -> None:
    """What bulk_create does (every field's pre_save and database preparation, so auto_now
    and JSON work), written the fastest way each database takes many rows: COPY on
    PostgreSQL, one prepared INSERT run by executemany on SQLite. bulk_create compiles the
    SQL of every value in Python and loads 100,000 enterprises several times slower."""
    fields = model._meta.local_concrete_fields
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(f.column) for f in fields)
    prepare = [database_value(f) for f in fields]
    rows = (
        tuple(to_db(f.pre_save(obj, True)) for f, to_db in zip(fields, prepare, strict=True))
        for obj in objects
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)


def database_value(model_field: models.Field):
    """The field's own preparation where the driver needs one (dates, decimals, JSON)."""
    if model_field.get_internal_type() in {
        "DateTimeField",
        "DateField",
        "DecimalField",
        "JSONField",
    }:
        return lambda value: model_field.get_db_prep_save(value, connection)
    return lambda value: value


def refresh_statistics() -> None:
    """What autovacuum does a while after a bulk load, at once: statistics for the planner
    and, outside a transaction, the visibility map that lets a COUNT read only an index."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")


def reset_sequences() -> None:
    """Rows were written with their ids: PostgreSQL's sequences must move past them."""
    statements = connection.ops.sequence_reset_sql(no_style(), SEEDED_MODELS)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def delete_directory_data() -> None:
    """Empty the enterprises' table and every table that refers to it, as TRUNCATE ... CASCADE
    does; districts, categories and users stay."""
    tables = [model._meta.db_table for model in SEEDED_MODELS]
    statements = connection.ops.sql_flush(
        no_style(), tables, reset_sequences=True, allow_cascade=True
    )
    postgresql = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if postgresql:  # TRUNCATE refuses while deferred checks of this transaction wait
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for statement in statements:
            cursor.execute(statement)
        if postgresql:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def ensure_demo_users() -> dict[str, object]:
    """The four demo logins, created or reset to the demo password and roles."""
    User = get_user_model()
    password = make_password(DEMO_PASSWORD)  # hashed once for all four
    roles = {
        ADMIN_USERNAME: ("", True),
        OFFICIAL_USERNAME: (OFFICIAL_GROUP, True),
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


def demo_logins() -> str:
    return (
        f"Demo logins: {OFFICIAL_USERNAME} / {DEMO_PASSWORD} (official, /admin/), "
        f"{SME_USERNAME} / {DEMO_PASSWORD} (SME owner), "
        f"{ANCHOR_USERNAME} / {DEMO_PASSWORD} (anchor-firm owner), "
        f"{ADMIN_USERNAME} / {DEMO_PASSWORD} (superuser)"
    )


class Command(BaseCommand):
    help = (
        "Load a demo city into the directory: enterprises of every kind across every supply "
        "category and district, products with specs, certifications, verification history and "
        "the demo logins."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enterprises",
            type=int,
            default=DEFAULT_ENTERPRISES,
            help=f"How many enterprises (default {DEFAULT_ENTERPRISES}).",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help="Random seed; the same seed gives the same city.",
        )
        parser.add_argument(
            "--products-per-enterprise",
            type=float,
            default=DEFAULT_PRODUCTS_PER_ENTERPRISE,
            help="Average number of products per enterprise, between 1 and 4 (default 3).",
        )
        parser.add_argument(
            "--purchase-lines",
            type=int,
            default=DEFAULT_PURCHASE_LINES,
            help="Purchase lines per verified anchor firm for last year and for this year, "
            f"recorded through the import service (default {DEFAULT_PURCHASE_LINES}; 0: none).",
        )
        parser.add_argument(
            "--outside-development",
            action="store_true",
            help="Load even though DEBUG is off, e.g. into a benchmark database. The demo "
            "logins have a published password: never use this on a production database.",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (but print the demo logins) when the directory holds enterprises.",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="DELETE every enterprise first, with everything that refers to one (products, "
            "certifications, memberships, purchases...); districts, categories and users stay.",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["outside_development"]:
            raise CommandError(
                "seed_demo creates logins with a published password, so it runs only in "
                "development (DEBUG on). Pass --outside-development to load a benchmark "
                "database."
            )
        if options["if_empty"] and Enterprise.objects.exists():
            self.stdout.write(
                f"The directory holds {Enterprise.objects.count():,} enterprises already; "
                "nothing loaded."
            )
            self.stdout.write(self.style.SUCCESS(demo_logins()))
            return
        if Enterprise.objects.exists() and not options["replace"]:
            raise CommandError(
                "The directory holds enterprises already. Use --if-empty to keep them or "
                "--replace to delete them first."
            )
        if not 1 <= options["products_per_enterprise"] <= 4:
            raise CommandError("--products-per-enterprise must be between 1 and 4.")
        started = time.monotonic()
        with transaction.atomic():
            if options["replace"]:
                delete_directory_data()
            counts = self.seed(options)
        if connection.vendor == "postgresql":
            refresh_statistics()
        self.report(counts, time.monotonic() - started)

    def seed(self, options) -> Counter:
        users = ensure_demo_users()
        leaves = list(
            SupplyCategory.objects.filter(parent__isnull=False, children__isnull=True)
            .select_related("parent")
            .order_by("sort_order", "slug")
        )
        districts = list(District.objects.order_by("sort_order", "code"))
        city = City(
            rng=random.Random(options["seed"]),
            now=timezone.now(),
            today=timezone.localdate(),
            leaves=leaves,
            by_slug={leaf.slug: leaf for leaf in leaves},
            districts=districts,
            official_id=users[OFFICIAL_USERNAME].pk,
            products_per_enterprise=options["products_per_enterprise"],
            last_ids={
                model: model.objects.aggregate(last=Max("pk"))["last"] or 0
                for model in SEEDED_MODELS
            },
        )
        n = options["enterprises"]
        if kind_counts(n)[EnterpriseKind.SME] < len(leaves) or n < len(districts):
            raise CommandError(
                f"Seed at least {len(leaves) + 10} enterprises, so that every category and "
                "district has one."
            )
        plan = build_plan(city, n)
        counts: Counter = Counter()
        demo_enterprises = {}
        for start in range(0, n, CHUNK):
            chunk = plan[start : start + CHUNK]
            drafts = [draw_enterprise(city, item) for item in chunk]
            insert(city, drafts)
            for item, draft in zip(chunk, drafts, strict=True):
                if item.demo:
                    demo_enterprises[item.demo] = draft.enterprise
            self.count(counts, drafts)
            if n >= 10 * CHUNK and options["verbosity"] and (start + CHUNK) % (5 * CHUNK) == 0:
                self.stdout.write(f"  {counts['enterprises']:,} / {n:,} enterprises")
        reset_sequences()
        attach_demo_members(users, demo_enterprises)
        if options["purchase_lines"] > 0:
            counts["purchase lines"] = seed_purchases(city, options["purchase_lines"])
        return counts

    @staticmethod
    def count(counts: Counter, drafts: list[Draft]) -> None:
        for draft in drafts:
            enterprise = draft.enterprise
            counts["enterprises"] += 1
            counts[enterprise.status] += 1
            counts["recommended"] += enterprise.recommended
            counts["products"] += len(draft.products)
            counts["certifications"] += len(draft.certifications)
            counts["status changes"] += len(draft.events) + len(draft.product_events)

    def report(self, counts: Counter, seconds: float) -> None:
        self.stdout.write(
            f"Loaded {counts['enterprises']:,} enterprises ({counts['verified']:,} verified, "
            f"{counts['pending']:,} pending, {counts['returned']:,} returned, "
            f"{counts['recommended']:,} recommended), {counts['products']:,} products, "
            f"{counts['certifications']:,} certifications, {counts['status changes']:,} "
            f"status changes and {counts['purchase lines']:,} purchase lines in {seconds:.1f} s."
        )
        self.stdout.write(self.style.SUCCESS(demo_logins()))
