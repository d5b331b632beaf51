package portcullis.lib.cidr_test

import data.portcullis.lib.cidr

test_internet_ipv4 if cidr.is_internet("0.0.0.0/0")

test_internet_ipv6 if cidr.is_internet("::/0")

test_internet_any_address_with_zero_prefix if {
	cidr.is_internet("10.0.0.0/0")
	cidr.is_internet("2001:db8::/0")
}

test_not_internet_non_zero_prefix if {
	not cidr.is_internet("0.0.0.0/1")
	not cidr.is_internet("10.0.0.0/8")
	not cidr.is_internet("203.0.113.7/32")
	not cidr.is_internet("::/1")
	not cidr.is_internet("2001:db8::/32")
}

test_not_internet_invalid if {
	not cidr.is_internet("0.0.0.0/0 ")
	not cidr.is_internet("0.0.0.0")
	not cidr.is_internet("/0")
	not cidr.is_internet("any")
	not cidr.is_internet("")
	not cidr.is_internet(0)
	not cidr.is_internet(null)
}

test_prefix_length if {
	cidr.prefix_length("10.0.0.0/8") == 8
	cidr.prefix_length("::/0") == 0
	cidr.prefix_length("192.168.1.1/32") == 32
	not cidr.prefix_length("10.0.0.0")
}

test_families if {
	cidr.is_ipv4("10.0.0.0/8")
	not cidr.is_ipv6("10.0.0.0/8")
	cidr.is_ipv6("fd00::/8")
	not cidr.is_ipv4("fd00::/8")
	not cidr.is_ipv4("10.0.0.0/33")
}
