"""This app's rows of the permission matrix, run on their own (tests/test_permission_matrix.py
runs every app's rows together)."""

from __future__ import annotations

from dangjian.contributions.tests import matrix
from dangjian.testing.base import BaseTestCase
from tests import test_permission_matrix as whole


class ContributionMatrixTestCase(whole.PermissionMatrixTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        BaseTestCase.setUpTestData.__func__(cls)
        cls.fixture = matrix.fixture(cls.uni)

    def test_every_page_answers_each_persona_as_the_matrix_says(self):
        for case in matrix.PAGES:
            self.run_case(case)

    def test_every_api_operation_answers_each_persona_as_the_matrix_says(self):
        for case in matrix.API:
            self.run_case(case)
