"""Photos from the field: checked by content, stored untouched and private, shown through clean derivatives."""
