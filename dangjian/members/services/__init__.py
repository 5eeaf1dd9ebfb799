"""Every write of member data: atomic, validated, audited."""
