from django.contrib.auth.decorators import permission_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from reports.views import parse_as_of

from . import selectors
from .charts import rate_chart


@require_GET
@permission_required("approval.view_measurement", raise_exception=True)
def approval_page(request):
    """電子決裁: the published rate, the counted rate (whole office, per department) with its
    period and n, the rollout, the rate over time with the target, and the plan's history."""
    as_of = parse_as_of(request)
    current = selectors.current_rates(as_of)
    series = selectors.rate_series(as_of)
    return render(
        request,
        "approval/page.html",
        {
            "as_of": as_of,
            "published": selectors.published_figures(as_of),
            "current": current,
            "rollout": selectors.rollout(as_of),
            "chart": rate_chart(series) if series.months else None,
            "targets": selectors.target_rows(as_of),
            "plan": selectors.plan_sections(as_of),
        },
    )
