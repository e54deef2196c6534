"""What can be bought: a vendor API, a self-hosted fleet (rented or bought), and strategies
that combine them. Each option turns usage into cost parts, nothing more."""
