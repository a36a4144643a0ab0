"""Locust users for `python -m bench feedback_load`: a trivial Django view (`/healthz`, one `SELECT 1`)
and the citizens' public intake (GET the form once per user for the CSRF cookie and token, then POST
reports without photos, back to back). Requests carry `X-Forwarded-Proto: https`, as behind the TLS proxy
the production settings expect (secure cookies, no HTTPS redirect), and the form's page as Referer (Django's
CSRF check of HTTPS requests). Run one class at a time:

    locust -f bench/locustfile_feedback.py --headless -u 50 -r 50 -t 30s --host http://127.0.0.1:PORT PublicIntake
"""

from __future__ import annotations

import random
import re

from locust import FastHttpUser, constant, task

PROXY = {"X-Forwarded-Proto": "https"}
FORM = "/reports/new/"
_COOKIE = re.compile(r"csrftoken=([^;,\s]+)")
_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_SELECT = r'<select name="{name}"[^>]*>(.*?)</select>'
_OPTION = re.compile(r'<option value="([^"]+)"')

PROBLEMS = (
    "Rác thải tập kết bừa bãi trước cửa nhà số {n}, nhiều ngày không được thu gom.",
    "Đèn chiếu sáng đầu ngõ {n} hỏng đã hai tuần, buổi tối rất tối.",
    "Hàng quán lấn chiếm vỉa hè trước số {n}, người đi bộ phải xuống lòng đường.",
    "Ổ gà sâu trên mặt đường trước số {n}, đã có người ngã xe.",
    "Hát karaoke to sau 22 giờ tại nhà số {n}.",
    "Công trình xây dựng ở số {n} không che chắn, vật liệu rơi xuống đường.",
)
STREETS = ("Kim Mã", "Đội Cấn", "Láng Hạ", "Thái Hà", "Giải Phóng", "Minh Khai", "Cầu Giấy", "Nguyễn Trãi")
NAMES = ("Nguyễn Văn An", "Trần Thị Bình", "Lê Minh Châu", "Phạm Quốc Dũng", "Hoàng Thị Hoa", "Vũ Đức Long")


class TrivialView(FastHttpUser):
    """The reference: the project's liveness view through the same middleware, server and database."""

    wait_time = constant(0)

    @task
    def healthz(self) -> None:
        self.client.get("/healthz", headers=PROXY, name="GET /healthz")


class PublicIntake(FastHttpUser):
    """A citizen's report from the public form, without photos (the honeypot left empty)."""

    wait_time = constant(0)

    def on_start(self) -> None:
        response = self.client.get(FORM, headers=PROXY, name="GET /reports/new/ (form, once per user)")
        html = response.text or ""
        found = _COOKIE.search(str(response.headers.get("Set-Cookie") or ""))
        self.cookie = found.group(1) if found else ""
        found = _TOKEN.search(html)
        self.token = found.group(1) if found else ""
        self.categories = self._options(html, "category")
        self.areas = self._options(html, "area")
        self.referer = f"https://{self.host.split('://', 1)[1].rstrip('/')}{FORM}"

    @staticmethod
    def _options(html: str, name: str) -> list[str]:
        block = re.search(_SELECT.format(name=name), html, re.S)
        return _OPTION.findall(block.group(1)) if block else []

    @task
    def submit(self) -> None:
        rnd = random.random
        anonymous = rnd() < 0.15
        data = {
            "csrfmiddlewaretoken": self.token,
            "category": random.choice(self.categories) if self.categories else "",
            "area": random.choice(self.areas) if self.areas else "",
            "description": random.choice(PROBLEMS).format(n=random.randint(1, 300)),
            "address": f"Số {random.randint(1, 300)} phố {random.choice(STREETS)}",
            "latitude": f"{21.0 + random.uniform(-0.1, 0.1):.6f}" if rnd() < 0.6 else "",
            "longitude": "",
            "name": "" if anonymous else random.choice(NAMES),
            "phone": "" if anonymous else f"09{random.randint(10_000_000, 99_999_999)}",
            "email": f"nguoidan{random.randint(1, 10**6)}@example.vn"
            if not anonymous and rnd() < 0.2
            else "",
            "website": "",  # the honeypot
        }
        if data["latitude"]:
            data["longitude"] = f"{105.82 + random.uniform(-0.1, 0.1):.6f}"
        if anonymous:
            data["anonymous"] = "on"
        headers = {**PROXY, "Referer": self.referer, "Cookie": f"csrftoken={self.cookie}"}
        with self.client.post(FORM, data=data, headers=headers, allow_redirects=False, catch_response=True,
                              name="POST /reports/new/") as response:  # fmt: skip
            if response.status_code != 302 or "/reports/" not in (response.headers.get("Location") or ""):
                response.failure(f"status {response.status_code}: {(response.text or '')[:200]}")
