"""API pagination: {"count", "next", "previous", "results"} with a client-chosen page size up to 200."""

from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """Page-number pagination; ?page_size= lets the PWA fetch a grid's points in one go."""

    page_size_query_param = "page_size"
    max_page_size = 200
