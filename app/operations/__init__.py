"""Operations: backup and restore of the whole instance, a health check for load balancers, structured logs."""
