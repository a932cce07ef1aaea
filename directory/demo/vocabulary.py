"""What the demo city is drawn from: word lists for names, places at home and abroad, product
names, capacities and the categories each kind of enterprise works in."""

from typing import NamedTuple

from directory.models import CapacityUnit

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
