"""The HTTP API, version 1: the same objects as the web, scoped exactly as on the web.

Mounted at /api/v1/; the OpenAPI schema is /api/v1/openapi.json and the interactive page
/api/v1/docs (Swagger UI served from the package's own static files: intranets have no CDN)."""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI, Swagger
from ninja.operation import Operation
from ninja.renderers import JSONRenderer

from kiemdiem.api import errors
from kiemdiem.api.auth import AUTH
from kiemdiem.api.common import ErrorOut
from kiemdiem.api.routers import (
    ballot_levels,
    ballots,
    cycles,
    feedback,
    meetings,
    members,
    orgs,
    reviews,
)

DESCRIPTION = """
API của kiemdiem cho các hệ thống khác và ứng dụng di động. Mỗi lời gọi cần **khóa truy cập
API** (tiêu đề `Authorization: Bearer kd_…`, tạo ở trang “Khóa truy cập API” trong menu tài
khoản hoặc bằng lệnh `kiemdiem api-token create`) hoặc phiên đăng nhập của trình duyệt (kèm
tiêu đề `X-CSRFToken` khi gửi dữ liệu). Phạm vi dữ liệu đúng như trên giao diện web: mỗi người
chỉ thấy tổ chức, đảng viên và giấy tờ thuộc phạm vi vai trò của mình.

Danh sách có phân trang `limit` (tối đa 200) và `offset`, trả về `items` và `total`. Lỗi trả về
JSON `{"detail": "…", "errors": [{"field": "…", "message": "…"}]}` bằng tiếng Việt.
""".strip()

# Errors any operation may answer; added to every operation in the schema so clients (and
# schema-driven test tools) know them without each endpoint repeating them.
COMMON_ERRORS = {
    "401": "Chưa xác thực: thiếu khóa, khóa sai hoặc đã thu hồi.",
    "403": "Không có quyền (hoặc thiếu mã CSRF khi dùng phiên đăng nhập).",
    "404": "Không tìm thấy, hoặc không thuộc phạm vi của người gọi.",
    "422": "Tham số hoặc nội dung gửi lên sai kiểu, sai định dạng.",
    "429": "Địa chỉ gọi đã gửi sai khóa (hoặc mật khẩu) quá nhiều lần: tạm khóa một thời gian.",
}
WRITE_ERRORS = {"400": "Dữ liệu không hợp lệ theo quy tắc nghiệp vụ; không có gì thay đổi."}


class Utf8Renderer(JSONRenderer):
    # Vietnamese stays readable in the raw response (curl, logs of the calling system).
    json_dumps_params = {"ensure_ascii": False}


class KiemdiemAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        # Short, stable ids ("list_members") for generated clients; names are unique.
        return operation.view_func.__name__

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        ref = {"$ref": "#/components/schemas/ErrorOut"}
        error_schema = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.update(error_schema.pop("$defs", {}))
        components["ErrorOut"] = error_schema
        for methods in schema["paths"].values():
            for method, op in methods.items():
                extra = dict(COMMON_ERRORS)
                if method in ("post", "put", "patch", "delete"):
                    extra.update(WRITE_ERRORS)
                if not op.get("security"):  # open to voters: no credentials to refuse
                    extra.pop("401")
                    extra.pop("403")
                    extra.pop("429")
                for code, text in extra.items():
                    op["responses"].setdefault(
                        code,
                        {"description": text, "content": {"application/json": {"schema": ref}}},
                    )
        return schema


api = KiemdiemAPI(
    title="kiemdiem API",
    version="1",
    description=DESCRIPTION,
    auth=AUTH,
    urls_namespace="api-v1",
    docs=Swagger(settings={"persistAuthorization": False}),
    renderer=Utf8Renderer(),
)
errors.install(api)
api.add_router("/", orgs.router)
api.add_router("/", members.router)
api.add_router("/", cycles.router)
api.add_router("/", reviews.router)
api.add_router("/", feedback.router)
api.add_router("/", meetings.router)
api.add_router("/", ballots.router)
api.add_router("/", ballot_levels.router)
