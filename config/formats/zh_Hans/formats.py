# Dates as a resident reads them (2023年3月30日, 2023年3月30日 14:00); the short
# formats stay numeric for staff tables and ledgers. What is not set here comes from
# Django's own zh_Hans formats.
DATE_FORMAT = "Y年n月j日"
DATETIME_FORMAT = "Y年n月j日 H:i"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
