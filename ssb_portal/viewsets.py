"""The base viewset of the signed-in API: token or session, one record found among those the
user may see, lists paged."""

from typing import Any

from django.shortcuts import get_object_or_404
from rest_framework import serializers, status, viewsets
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response


class SignedInViewSet(viewsets.GenericViewSet):
    """A viewset for signed-in users: one record is found among those they may see, answered
    with `detail_serializer_class` (the list's serializer unless named); lists are paged."""

    # Token first, so that a request without credentials is told to bring a token (401).
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]
    lookup_value_converter = "int"
    detail_serializer_class: type[serializers.Serializer] | None = None

    def visible(self, pk: int) -> Any:
        return get_object_or_404(self.get_queryset(), pk=pk)

    def detail_response(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        serializer_class = self.detail_serializer_class or self.serializer_class
        return Response(serializer_class(self.visible(pk)).data, status=code)

    def paged(self, serializer_class: type[serializers.Serializer]) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(serializer_class(page, many=True).data)
