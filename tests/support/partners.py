"""Facts about the working group that tests check answers against."""

PARTNER_REGIONS = (
    "Saxony-Anhalt",
    "North Rhine-Westphalia",
    "Asturias",
    "Masovia",
    "Ústí",
    "Cheshire West and Chester",
    "Novara",
    "Limburg",
    "Tees Valley",
    "Schleswig-Holstein",
)
