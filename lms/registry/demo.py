"""Deterministic demo data for the registry (``manage.py seed_demo``).

One ``random.Random(seed)`` drives every choice, in a fixed order, so the same seed, scale and
reference date (``as_of``) give the same names, ID numbers, credit codes and dates. Rows are written
with ``bulk_create``; personal fields come from :func:`services.people.id_fields` and
:func:`~services.people.phone_fields`, exactly as on the normal write path. Dates of birth only
depend on the year of ``as_of``; employment and health-check dates on the day.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from . import demo_data as data
from .models import (
    Employment,
    HealthCheck,
    Institution,
    Person,
    Post,
    Region,
    Role,
    TrainingProvider,
)
from .services.people import id_fields, person_link_user, phone_fields
from .services.roles import role_grant
from .validators import id_check_char, org_code_check_char, parse_id_number, uscc_check_char, validate_credit_code

Kind = Institution.Kind
SCALES = {"city": (150, 2_000), "province": (15_000, 200_000)}  # institutions, staff
BATCH = 2_000
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
KIND_WEIGHTS, CAPACITY = data.KIND_WEIGHTS, data.CAPACITY
FEMALE_SHARE, AGES, PHONE_PREFIXES = data.FEMALE_SHARE, data.AGES, data.PHONE_PREFIXES


@dataclass
class County:
    region: Region
    city_name: str
    city_short: str
    weight: float
    townships: list[Region] = field(default_factory=list)


class DemoSeeder:
    def __init__(
        self,
        *,
        seed: int = 530300,
        scale: str = "city",
        institutions: int | None = None,
        staff: int | None = None,
        as_of: date | None = None,
        password: str,
        log: Callable[[str], None] = lambda msg: None,
    ):
        self.rng = random.Random(seed)
        self.province = scale == "province"
        default_inst, default_staff = SCALES[scale]
        self.n_institutions = institutions or default_inst
        self.n_staff = staff or default_staff
        self.as_of = as_of or date.today()
        self.password = password
        self.log = log
        self.used_codes, self.used_ids, self.used_names = set(), set(), set()
        self.counts = dict.fromkeys(
            ["regions", "institutions", "providers", "people", "employments", "health_checks"], 0
        )
        self.health_serial = 0

    # ---- identifiers -------------------------------------------------------------------------

    def credit_code(self, prefix: str, region_code: str) -> str:
        """A valid, unused 统一社会信用代码 (GB 32100) with a valid GB 11714 organisation code inside."""
        while True:
            if prefix in ("91", "92"):  # market-registered: new-style codes "MA..."
                body = "MA" + "".join(self.rng.choices(USCC_CHARS, k=6))
            elif prefix == "52":  # civil-affairs registered (民办非企业单位)
                body = "MJ" + "".join(self.rng.choices("0123456789", k=6))
            else:  # 事业单位: old numeric organisation code
                body = str(self.rng.randint(10_000_000, 99_999_999))
            first17 = prefix + region_code + body + org_code_check_char(body)
            code = first17 + uscc_check_char(first17)
            if code not in self.used_codes:
                self.used_codes.add(code)
                return validate_credit_code(code)

    def id_number(self, region_code: str, age: int, female: bool) -> str:
        """A valid, unused 18-digit resident ID number (GB 11643)."""
        rng = self.rng
        while True:
            born = date(self.as_of.year - age, 1, 1) + timedelta(days=rng.randrange(365))
            order = rng.randrange(2, 999, 2) if female else rng.randrange(1, 999, 2)
            first17 = f"{region_code}{born:%Y%m%d}{order:03d}"
            if first17 not in self.used_ids:
                self.used_ids.add(first17)
                return first17 + id_check_char(first17)

    def phone(self) -> str:
        return self.rng.choice(PHONE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"

    def _days_ago(self, low: int, high: int) -> date:
        return self.as_of - timedelta(days=self.rng.randint(low, high))

    # ---- regions ------------------------------------------------------------------------------

    def build_regions(self) -> tuple[Region, Region, list[County]]:
        code, name = data.PROVINCE
        province = Region.objects.create(code=code, name=name, level=Region.Level.PROVINCE)
        cities = [(data.QUJING[0], data.QUJING[1], data.QUJING[2], data.QUJING_COUNTIES)]
        if self.province:
            rng = self.rng
            for c_code, c_name, short, counties in data.OTHER_CITIES:
                rows = [(cc, cn, rng.uniform(5, 14), data.synthetic_townships(rng, cn)) for cc, cn in counties]
                cities.append((c_code, c_name, short, rows))
            cities.sort(key=lambda c: c[0])
        city_objs = Region.objects.bulk_create(
            [Region(code=c[0], name=c[1], level=Region.Level.CITY, parent=province) for c in cities]
        )
        counties: list[County] = []
        for city, (_, _, short, rows) in zip(city_objs, cities, strict=True):
            for cc, cn, weight, _ in rows:
                region = Region(code=cc, name=cn, level=Region.Level.COUNTY, parent=city)
                counties.append(County(region=region, city_name=city.name, city_short=short, weight=weight))
        Region.objects.bulk_create([c.region for c in counties], batch_size=BATCH)
        township_names = [row[3] for city in cities for row in city[3]]
        townships = []
        for county, names in zip(counties, township_names, strict=True):
            serial = {"街道": 0, "镇": 100, "乡": 200}
            for tname in names:
                suffix = "街道" if tname.endswith("街道") else tname[-1]
                serial[suffix] += 1
                code = f"{county.region.code}{serial[suffix]:03d}"
                county.townships.append(
                    Region(code=code, name=tname, level=Region.Level.TOWNSHIP, parent=county.region)
                )
            townships += county.townships
        Region.objects.bulk_create(townships, batch_size=BATCH)
        self.counts["regions"] = 1 + len(city_objs) + len(counties) + len(townships)
        qujing = next(c for c in city_objs if c.code == data.QUJING[0])
        return province, qujing, counties

    # ---- institutions -------------------------------------------------------------------------

    def build_institutions(self, counties: list[County]) -> list[Institution]:
        total_weight = sum(c.weight for c in counties)
        shares = [max(1, round(self.n_institutions * c.weight / total_weight)) for c in counties]
        needed = [k for k in KIND_WEIGHTS if k != Kind.PUBLIC]
        kinds, weights = list(KIND_WEIGHTS), list(KIND_WEIGHTS.values())
        institutions = []
        for county, share in zip(counties, shares, strict=True):
            for i in range(share):
                if i == 0 and share >= 3:
                    kind = Kind.PUBLIC  # every county runs at least one public comprehensive centre (seed 001)
                elif needed:
                    kind = needed.pop(0)
                else:
                    kind = self.rng.choices(kinds, weights=weights)[0]
                institutions.append(self._institution(county, kind, centre=i == 0))
        Institution.objects.bulk_create(institutions, batch_size=BATCH)
        self.counts["institutions"] = len(institutions)
        return institutions

    def _institution(self, county: County, kind: str, *, centre: bool) -> Institution:
        rng = self.rng
        townships = county.townships
        township = (
            townships[0]
            if centre
            else rng.choices(townships, [2 if t.name.endswith("街道") else 1 for t in townships])[0]
        )
        low, high, step = CAPACITY[kind]
        capacity = rng.randrange(low, high + 1, step)
        name = self._unique_name(
            lambda: data.institution_name(rng, county.city_short, county.region.name, township.name, kind, centre)
        )
        registration = data.REGISTRATION.get(kind) or rng.choice(["12", "52"])  # kindergartens: public or private
        filing = rng.choices(list(Institution.Filing), weights=[12, 8, 80])[0]
        return Institution(
            name=name,
            credit_code=self.credit_code(registration, county.region.code),
            kind=kind,
            region=township,
            address=f"{data.PROVINCE[1]}{county.city_name}{county.region.name}{township.name}"
            f"{rng.choice(data.ROADS)}{rng.randint(1, 399)}号",
            capacity=capacity,
            filing_status=filing,
            filed_on=self._days_ago(30, 5 * 365) if filing == Institution.Filing.FILED else None,
        )

    def _unique_name(self, make: Callable[[], str]) -> str:
        for _ in range(30):
            name = make()
            if name not in self.used_names:
                break
        n = 2
        while name in self.used_names:
            name, n = f"{name.removesuffix(f'（{n - 1}部）')}（{n}部）", n + 1
        self.used_names.add(name)
        return name

    # ---- staff --------------------------------------------------------------------------------

    def build_staff(self, counties: list[County], institutions: list[Institution]) -> None:
        rng = self.rng
        plans = []
        for inst in institutions:
            family = inst.kind == Kind.FAMILY
            others = {
                Post.CAREGIVER: max(1.0, inst.capacity / rng.uniform(5, 7)),
                Post.HEALTH: 0 if family else 1 + inst.capacity // 120,
                Post.OTHER: 0 if family else inst.capacity / 40,
            }
            plans.append((inst, others))
        raw = sum(sum(o.values()) for _, o in plans)
        factor = max(self.n_staff - len(institutions), 0) / raw if raw else 0
        by_county = {c.region.pk: c for c in counties}
        chunk: list[tuple[Institution, list[str]]] = []
        size = 0
        for inst, others in plans:
            posts = [Post.DIRECTOR]
            for post, expected in others.items():
                scaled = expected * factor
                n = int(scaled) + (rng.random() < scaled - int(scaled))
                posts += [post] * (max(n, 1) if post == Post.CAREGIVER else n)
            chunk.append((inst, posts))
            size += len(posts)
            if size >= 20_000:  # write in chunks to bound memory
                self._write_staff(chunk, by_county)
                chunk, size = [], 0
        self._write_staff(chunk, by_county)

    def _write_staff(self, chunk: list[tuple[Institution, list[str]]], by_county: dict[int, County]) -> None:
        rng, as_of = self.rng, self.as_of
        people, spells, checks = [], [], []  # spells: (person index, institution, post, start, end)
        county_codes = [c.region.code for c in by_county.values()]
        yunnan_codes = [cc for _, _, _, rows in data.OTHER_CITIES for cc, _ in rows]
        local: dict[int, list[Institution]] = {}
        for inst, _ in chunk:
            local.setdefault(inst.region.parent_id, []).append(inst)
        for inst, posts in chunk:
            county = by_county[inst.region.parent_id]
            for post in posts:
                female = rng.random() < FEMALE_SHARE[post]
                low, high, mode = AGES[post]
                age = round(rng.triangular(low, high, mode))
                roll = rng.random()
                home = county.region.code if roll < 0.75 else rng.choice(county_codes if roll < 0.95 else yunnan_codes)
                ident = parse_id_number(self.id_number(home, age, female), today=as_of)
                idx = len(people)
                name = data.person_name(rng, female)
                people.append(Person(name=name, **id_fields(ident), **phone_fields(self.phone())))
                longest = min(3000 if post == Post.DIRECTOR else 2500, (age - 19) * 365)
                start = self._days_ago(10, max(longest, 11))
                end = None
                if post != Post.DIRECTOR and rng.random() < 0.085 and (as_of - start).days > 90:
                    end = start + timedelta(days=rng.randint(60, (as_of - start).days - 1))
                spells.append((idx, inst, post, start, end))
                if end and rng.random() < 0.3 and (as_of - end).days > 30:  # moved to another institution
                    other = rng.choice(local[county.region.pk])
                    if other is not inst:
                        spells.append((idx, other, post, end + timedelta(days=rng.randint(7, 30)), None))
                        end = None
                checks += self._health_checks(idx, county, start, end)
        Person.objects.bulk_create(people, batch_size=BATCH)
        Employment.objects.bulk_create(
            [
                Employment(person=people[i], institution=inst, post=post, start_date=start, end_date=end)
                for i, inst, post, start, end in spells
            ],
            batch_size=BATCH,
        )
        for check in checks:
            check.person = people[check.person_idx]
        HealthCheck.objects.bulk_create(checks, batch_size=BATCH)
        self.counts["people"] += len(people)
        self.counts["employments"] += len(spells)
        self.counts["health_checks"] += len(checks)

    def _health_checks(self, idx: int, county: County, start: date, end: date | None) -> list[HealthCheck]:
        """Yearly checks back from the latest: ~7% none, ~13% expired (> 1 year ago), the rest valid."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.07:
            return []
        reference = end or self.as_of
        last = reference - timedelta(days=rng.randint(370, 800) if roll < 0.2 else rng.randint(1, 330))
        dates = [last]
        while len(dates) < 3 and (prev := dates[-1] - timedelta(days=rng.randint(350, 370))) >= start - timedelta(30):
            dates.append(prev)
        issuer = rng.choice(data.HEALTH_ISSUERS).format(county=county.region.name)
        result = []
        for checked_on in dates:
            self.health_serial += 1
            check = HealthCheck(
                checked_on=checked_on,
                certificate_number=f"{county.region.code}{checked_on:%Y}{self.health_serial:07d}",
                issued_by=issuer,
            )
            check.person_idx = idx
            result.append(check)
        return result

    # ---- providers and accounts --------------------------------------------------------------

    def build_providers(self, province: Region, qujing: Region) -> list[TrainingProvider]:
        short = data.QUJING[2].removesuffix("市")
        rows = []
        for template, kind, body_code, prefix in data.TRAINING_PROVIDERS:
            region = province if kind == TrainingProvider.Kind.ASSESSMENT else qujing
            name = template.format(city=data.QUJING[1], city_short=short)
            rows.append((name, kind, body_code, prefix, region))
        if self.province:
            for n, city in enumerate(Region.objects.filter(level=Region.Level.CITY).exclude(pk=qujing.pk), start=1):
                rows.append((f"{city.name}职业技能培训学校", TrainingProvider.Kind.TRAINING, f"P{n:03d}", "52", city))
        providers = [
            TrainingProvider(
                name=name, kind=kind, body_code=code, credit_code=self.credit_code(prefix, region.code), region=region
            )
            for name, kind, code, prefix, region in rows
        ]
        TrainingProvider.objects.bulk_create(providers)
        self.counts["providers"] = len(providers)
        return providers

    def build_accounts(self, qujing: Region, provider: TrainingProvider) -> list[tuple[str, str, str]]:
        """One account per role; returns (username, role, scope) rows. Existing users are updated."""
        qilin = Region.objects.get(code="530302")
        candidates = Institution.objects.filter(region__parent=qilin).exclude(kind=Kind.FAMILY)
        institution = (
            candidates.filter(name__endswith="综合托育服务中心").first()
            or candidates.order_by("-capacity", "credit_code").first()
        )
        on_duty = Person.objects.filter(employments__institution=institution, employments__end_date__isnull=True)
        person = (on_duty.filter(employments__post=Post.CAREGIVER) or on_duty).order_by("id_number_hash").first()
        hashed = make_password(self.password)

        def user(username: str, first_name: str, superuser: bool = False):
            obj, _ = get_user_model().objects.get_or_create(username=username)
            obj.password, obj.first_name, obj.is_active = hashed, first_name, True
            obj.is_superuser = obj.is_staff = superuser
            obj.save()
            return obj

        user("admin", "平台管理员", superuser=True)
        grants = [
            ("health", "卫健委", Role.HEALTH_OFFICER, {"region": qujing}),
            ("hr", "人社局", Role.HR_OFFICER, {"region": qujing}),
            ("inspector", "卫生监督", Role.INSPECTOR, {"region": qilin}),
            ("institution", "机构管理员", Role.INSTITUTION_ADMIN, {"institution": institution}),
            ("provider", "培训机构", Role.PROVIDER_STAFF, {"provider": provider}),
        ]
        for username, first_name, role, scope in grants:
            role_grant(user=user(username, first_name), role=role, **scope)
        person_link_user(person=person, user=user("caregiver", person.name))
        rows = [("admin", "platform admin (superuser)", "—")]
        rows += [(username, role.value, str(*scope.values())) for username, _, role, scope in grants]
        return [*rows, ("caregiver", "caregiver (Person.user)", f"{person.name} @ {institution.name}")]

    @transaction.atomic
    def run(self) -> tuple[dict[str, int], list[tuple[str, str, str]]]:
        """Write everything; returns row counts and the demo accounts (username, role, scope)."""
        province, qujing, counties = self.build_regions()
        self.log(f"regions: {self.counts['regions']}")
        institutions = self.build_institutions(counties)
        self.log(f"institutions: {len(institutions)}")
        providers = self.build_providers(province, qujing)
        self.build_staff(counties, institutions)
        self.log(f"people: {self.counts['people']}, employments: {self.counts['employments']}")
        accounts = self.build_accounts(qujing, providers[0])
        return self.counts, accounts
