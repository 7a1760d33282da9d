urlpatterns: list = []  # import/export pages (see views_io.py) are added here
