"""Checking the area an editor gives a project, as a GeoJSON geometry."""

from django.utils.translation import gettext as _

AREA_TYPES = ("Polygon", "MultiPolygon")


class GeometryError(ValueError):
    pass


def _check_ring(ring) -> None:
    if not isinstance(ring, list) or len(ring) < 4:
        raise GeometryError(_("Each ring of the area needs at least four positions."))
    for position in ring:
        if (
            not isinstance(position, list)
            or len(position) < 2
            or not all(isinstance(c, int | float) for c in position[:2])
        ):
            raise GeometryError(_("Each position is a [longitude, latitude] pair."))
        longitude, latitude = position[:2]
        if not (-180 <= longitude <= 180 and -90 <= latitude <= 90):
            raise GeometryError(
                _("Positions are [longitude, latitude] in degrees (WGS84).")
            )
    if ring[0] != ring[-1]:
        raise GeometryError(_("Each ring of the area must end where it starts."))


def check_area(area) -> None:
    """Raise GeometryError unless `area` is a GeoJSON (Multi)Polygon."""
    if not isinstance(area, dict) or area.get("type") not in AREA_TYPES:
        raise GeometryError(
            _("The area must be a GeoJSON geometry of type Polygon or MultiPolygon.")
        )
    coordinates = area.get("coordinates")
    polygons = [coordinates] if area["type"] == "Polygon" else coordinates
    if not isinstance(polygons, list) or not polygons:
        raise GeometryError(_("The area has no coordinates."))
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            raise GeometryError(_("The area has an empty polygon."))
        for ring in polygon:
            _check_ring(ring)


def area_centre(area) -> tuple[float, float]:
    """A representative (latitude, longitude) of an area: the mean of its
    outer rings' vertices, good enough to place a marker."""
    polygons = (
        [area["coordinates"]] if area["type"] == "Polygon" else area["coordinates"]
    )
    points = [p for polygon in polygons for p in polygon[0][:-1]]
    longitude = sum(p[0] for p in points) / len(points)
    latitude = sum(p[1] for p in points) / len(points)
    return latitude, longitude
