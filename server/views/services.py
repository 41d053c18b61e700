"""What a citizen reads about a service, whatever asks: its name and agency, requirements, procedure, duration, fee,
result, where to complain and its days. One shape for the services list (kiosk, TV, REST) and the booking places."""

from __future__ import annotations

from typing import Any

from ..domain.site import Service, Site


def service_facts(site: Site, s: Service) -> dict[str, Any]:
    return {"code": s.code, "name": s.name, "agency": s.agency, "agency_name": site.agencies[s.agency].name,
            "requirements": list(s.requirements), "procedure": list(s.procedure), "duration": s.duration,
            "fee": s.fee, "product": s.product, "complaint": s.complaint, "days": list(s.days)}
