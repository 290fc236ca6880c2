"""Request schemas more than one topic module takes."""

from ninja import Schema

from ipcity.bounds import bounded_int
from ipcity.services.models import ServiceApplication


# A 1～5 star rating with a comment: of a finished application (办件) and of a custody agency.
class ServiceRatingIn(Schema):
    rating: bounded_int(ServiceApplication, "rating")
    comment: str = ""
