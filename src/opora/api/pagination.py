"""Pagination of API lists: pages of 50 by default, `page_size` up to 500."""

from rest_framework.pagination import PageNumberPagination


class OporaPagination(PageNumberPagination):
    """`?page=N&page_size=M`; the answer holds count, next, previous and results."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
