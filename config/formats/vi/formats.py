"""Vietnamese formats as offices write them: 1.234,5 and 2.000.000; dates dd/mm/yyyy (Django's own vi
formats group no digits and write short dates with dashes)."""

SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "H:i d/m/Y"
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
