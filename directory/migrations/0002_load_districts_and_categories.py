"""The municipality's districts and the supply-category taxonomy are data, loaded here.

Slugs and district codes are stable identifiers used by the API and by imports: change names
freely, never codes or slugs.
"""

from django.db import migrations

DISTRICTS = [
    # code, Chinese name, English name, in the municipality
    ("donghu", "东湖区", "Donghu District", True),
    ("xicheng", "西城区", "Xicheng District", True),
    ("nanwan", "南湾区", "Nanwan District", True),
    ("beiling", "北岭区", "Beiling District", True),
    ("binjiang", "滨江区", "Binjiang District", True),
    ("qingshan", "青山区", "Qingshan District", True),
    ("hitech", "高新技术产业开发区", "High-tech Industrial Development Zone", True),
    ("etdz", "经济技术开发区", "Economic and Technological Development Zone", True),
    ("lingang", "临港新区", "Lingang New Area", True),
    ("yunxi", "云溪县", "Yunxi County", True),
    ("other-cn", "市外（国内）", "Elsewhere in China", False),
    ("abroad", "境外", "Outside China", False),
]

CATEGORIES = [
    # slug, Chinese name, English name, parent slug
    ("solid-electrolyte", "固态电解质", "Solid electrolytes", None),
    ("sulfide-electrolyte", "硫化物固态电解质", "Sulfide solid electrolyte", "solid-electrolyte"),
    ("oxide-electrolyte", "氧化物固态电解质", "Oxide solid electrolyte", "solid-electrolyte"),
    ("polymer-electrolyte", "聚合物固态电解质", "Polymer solid electrolyte", "solid-electrolyte"),
    ("halide-electrolyte", "卤化物固态电解质", "Halide solid electrolyte", "solid-electrolyte"),
    ("cathode", "正极材料", "Cathode materials", None),
    ("li-rich-mn-cathode", "富锂锰基正极", "Li-rich Mn-based cathode", "cathode"),
    ("high-nickel-cathode", "高镍三元正极", "High-nickel ternary cathode", "cathode"),
    ("anode", "负极材料", "Anode materials", None),
    ("lithium-metal-anode", "锂金属负极", "Lithium metal anode", "anode"),
    ("silicon-carbon-anode", "硅碳负极", "Silicon-carbon anode", "anode"),
    ("auxiliary-materials", "辅助材料", "Auxiliary materials", None),
    (
        "composite-current-collector",
        "复合集流体",
        "Composite current collector",
        "auxiliary-materials",
    ),
    ("dry-process-binder", "干法粘结剂", "Dry-process binder", "auxiliary-materials"),
    ("conductive-agent", "新型导电剂", "Novel conductive agent", "auxiliary-materials"),
    ("cells-and-packs", "电芯与电池系统", "Cells and battery systems", None),
    ("cell-manufacturing", "电芯制造", "Cell manufacturing", "cells-and-packs"),
    ("pack-bms", "电池包与电池管理系统", "Pack and BMS", "cells-and-packs"),
    ("equipment", "装备", "Equipment", None),
    ("production-equipment", "生产设备", "Production equipment", "equipment"),
    ("services", "产业服务", "Industry services", None),
    ("testing-certification", "检测认证服务", "Testing and certification services", "services"),
]


def load(apps, schema_editor):
    District = apps.get_model("directory", "District")
    SupplyCategory = apps.get_model("directory", "SupplyCategory")
    for order, (code, name_zh, name_en, is_local) in enumerate(DISTRICTS):
        District.objects.update_or_create(
            code=code,
            defaults={
                "name_zh": name_zh,
                "name_en": name_en,
                "is_local": is_local,
                "sort_order": order,
            },
        )
    for order, (slug, name_zh, name_en, parent_slug) in enumerate(CATEGORIES):
        SupplyCategory.objects.update_or_create(
            slug=slug,
            defaults={
                "name_zh": name_zh,
                "name_en": name_en,
                "parent": SupplyCategory.objects.get(slug=parent_slug) if parent_slug else None,
                "sort_order": order,
            },
        )


def unload(apps, schema_editor):
    apps.get_model("directory", "SupplyCategory").objects.filter(parent__isnull=False).delete()
    apps.get_model("directory", "SupplyCategory").objects.all().delete()
    apps.get_model("directory", "District").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_enterprises_products_memberships")]

    operations = [migrations.RunPython(load, unload)]
