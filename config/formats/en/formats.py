# Dates as a resident reads them (30 March 2023, 30 March 2023 14:00); the short
# formats stay numeric for staff tables and ledgers. What is not set here comes from
# Django's own en formats.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y H:i"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
