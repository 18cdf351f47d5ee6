"""Organizations: IOM, the State's institutions, UN agencies, donors, contractors."""
