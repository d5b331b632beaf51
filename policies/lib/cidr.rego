# Package portcullis.lib.cidr holds CIDR helpers shared by the network rules.
#
# Every helper is exact: a value is only classified when it is a valid CIDR
# (net.cidr_is_valid), so a typo or a string that still holds an unresolved
# expression is never mistaken for a real address range.
package portcullis.lib.cidr

# is_valid(c) is true when c is a string holding a valid IPv4 or IPv6 CIDR.
is_valid(c) if {
	is_string(c)
	net.cidr_is_valid(c)
}

# prefix_length(c) is the prefix length of the valid CIDR c ("10.0.0.0/8" -> 8).
prefix_length(c) := n if {
	is_valid(c)
	parts := split(c, "/")
	count(parts) == 2
	n := to_number(parts[1])
}

# is_ipv6(c) is true when c is a valid IPv6 CIDR ("::/0", "2001:db8::/32").
is_ipv6(c) if {
	is_valid(c)
	contains(c, ":")
}

# is_ipv4(c) is true when c is a valid IPv4 CIDR.
is_ipv4(c) if {
	is_valid(c)
	not contains(c, ":")
}

# is_internet(c) is true when c covers the whole IPv4 or IPv6 address space:
# any valid CIDR whose prefix length is 0. "0.0.0.0/0" and "::/0" are the usual
# spellings, but AWS masks the host bits, so "10.0.0.0/0" opens just as much.
is_internet(c) if prefix_length(c) == 0
