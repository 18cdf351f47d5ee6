"""Documents (agreements, drawings, bills of quantities, handover acts): checked by content, versioned, downloaded."""
