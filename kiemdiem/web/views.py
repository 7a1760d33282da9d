from django.http import HttpRequest, HttpResponse


def home(request: HttpRequest) -> HttpResponse:
    return HttpResponse("kiemdiem")


def organization(request: HttpRequest, org_id: int) -> HttpResponse:
    return HttpResponse("org")


def member_list(request: HttpRequest, org_id: int) -> HttpResponse:
    return HttpResponse("members")


def member_detail(request: HttpRequest, member_id: int) -> HttpResponse:
    return HttpResponse("member")
