"""Code lists for member records (GB 3304 ethnicities, education, personnel categories).

Each entry keeps the canonical Chinese name used in official forms and spreadsheets, which the
importer matches, beside the translatable label shown in the interface.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# (GB 3304 code, name in official forms, label)
ETHNICITIES = [
    ("01", "汉族", _("Han")),
    ("02", "蒙古族", _("Mongolian")),
    ("03", "回族", _("Hui")),
    ("04", "藏族", _("Tibetan")),
    ("05", "维吾尔族", _("Uyghur")),
    ("06", "苗族", _("Miao")),
    ("07", "彝族", _("Yi")),
    ("08", "壮族", _("Zhuang")),
    ("09", "布依族", _("Buyei")),
    ("10", "朝鲜族", _("Korean")),
    ("11", "满族", _("Manchu")),
    ("12", "侗族", _("Dong")),
    ("13", "瑶族", _("Yao")),
    ("14", "白族", _("Bai")),
    ("15", "土家族", _("Tujia")),
    ("16", "哈尼族", _("Hani")),
    ("17", "哈萨克族", _("Kazakh")),
    ("18", "傣族", _("Dai")),
    ("19", "黎族", _("Li")),
    ("20", "傈僳族", _("Lisu")),
    ("21", "佤族", _("Va")),
    ("22", "畲族", _("She")),
    ("23", "高山族", _("Gaoshan")),
    ("24", "拉祜族", _("Lahu")),
    ("25", "水族", _("Shui")),
    ("26", "东乡族", _("Dongxiang")),
    ("27", "纳西族", _("Naxi")),
    ("28", "景颇族", _("Jingpo")),
    ("29", "柯尔克孜族", _("Kyrgyz")),
    ("30", "土族", _("Tu")),
    ("31", "达斡尔族", _("Daur")),
    ("32", "仫佬族", _("Mulao")),
    ("33", "羌族", _("Qiang")),
    ("34", "布朗族", _("Blang")),
    ("35", "撒拉族", _("Salar")),
    ("36", "毛南族", _("Maonan")),
    ("37", "仡佬族", _("Gelao")),
    ("38", "锡伯族", _("Xibe")),
    ("39", "阿昌族", _("Achang")),
    ("40", "普米族", _("Pumi")),
    ("41", "塔吉克族", _("Tajik")),
    ("42", "怒族", _("Nu")),
    ("43", "乌孜别克族", _("Uzbek")),
    ("44", "俄罗斯族", _("Russian")),
    ("45", "鄂温克族", _("Evenki")),
    ("46", "德昂族", _("De'ang")),
    ("47", "保安族", _("Bonan")),
    ("48", "裕固族", _("Yugur")),
    ("49", "京族", _("Gin")),
    ("50", "塔塔尔族", _("Tatar")),
    ("51", "独龙族", _("Derung")),
    ("52", "鄂伦春族", _("Oroqen")),
    ("53", "赫哲族", _("Hezhen")),
    ("54", "门巴族", _("Monba")),
    ("55", "珞巴族", _("Lhoba")),
    ("56", "基诺族", _("Jino")),
    ("97", "其他", _("Other ethnicity")),
    ("98", "外国血统中国籍人士", _("Chinese citizen of foreign origin")),
]
ETHNICITY_CHOICES = [(code, label) for code, _name, label in ETHNICITIES]
ETHNICITY_NAMES = {code: name for code, name, _label in ETHNICITIES}
HAN = "01"


class Gender(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class Category(models.TextChoices):
    """Personnel category (人员类别) in a university."""

    TEACHER = "teacher", _("Teacher")
    STAFF = "staff", _("Staff")
    UNDERGRADUATE = "undergraduate", _("Undergraduate")
    MASTER = "master", _("Master's student")
    DOCTORAL = "doctoral", _("Doctoral student")
    RETIRED = "retired", _("Retired")
    OTHER = "other", _("Other")


STUDENT_CATEGORIES = (Category.UNDERGRADUATE, Category.MASTER, Category.DOCTORAL)


class Education(models.TextChoices):
    """Highest education (学历), in the statistics' classes."""

    DOCTORATE = "doctorate", _("Postgraduate (doctorate)")
    MASTER = "master", _("Postgraduate (master's)")
    BACHELOR = "bachelor", _("Bachelor's")
    JUNIOR_COLLEGE = "junior_college", _("Junior college")
    SECONDARY_VOCATIONAL = "secondary_vocational", _("Vocational secondary")
    HIGH_SCHOOL = "high_school", _("High school or technical school")
    JUNIOR_HIGH = "junior_high", _("Junior high school or below")


class Degree(models.TextChoices):
    NONE = "", _("No degree")
    BACHELOR = "bachelor", _("Bachelor")
    MASTER = "master", _("Master")
    DOCTOR = "doctor", _("Doctor")


class Status(models.TextChoices):
    """Party membership status; the development stages before it come with that module."""

    PROBATIONARY = "probationary", _("Probationary member")
    FULL = "full", _("Full member")


class Standing(models.TextChoices):
    """Standing of the record (党籍状态); only ACTIVE members are on the roster."""

    ACTIVE = "active", _("Normal")
    SUSPENDED = "suspended", _("Standing suspended")
    TRANSFERRED_OUT = "transferred_out", _("Transferred out")
    EXITED = "exited", _("Left the Party")
    DECEASED = "deceased", _("Deceased")


class SanctionKind(models.TextChoices):
    """The disciplinary sanctions short of expulsion (纪律处分条例 2023, Art 8)."""

    WARNING = "warning", _("Warning")
    SERIOUS_WARNING = "serious_warning", _("Serious warning")
    REMOVAL_FROM_POSTS = "removal_from_posts", _("Removal from Party posts")
    PROBATION_IN_PARTY = "probation_in_party", _("Probation within the Party")


# Months each sanction restricts the member (1 year, 18 months, 2 years; probation 1 or 2 years).
SANCTION_MONTHS = {
    SanctionKind.WARNING: 12,
    SanctionKind.SERIOUS_WARNING: 18,
    SanctionKind.REMOVAL_FROM_POSTS: 24,
}
