# Package portcullis.lib.ports holds the list of sensitive ports and the port
# and protocol helpers the network rules use. The list is data in one place:
# rules never repeat port numbers.
package portcullis.lib.ports

# sensitive maps each sensitive port to the service usually listening on it:
# remote administration, databases, caches, search and message brokers,
# container and cluster control planes, and Windows file sharing. A service
# on one of these ports reachable from the internet is a direct path to data
# or to control of the host. The numbers are treated for TCP and UDP alike:
# several of these services also listen on UDP (RDP, SMB/NetBIOS, Memcached,
# which has been abused for UDP amplification).
sensitive := {
	20: "FTP-data",
	21: "FTP",
	22: "SSH",
	23: "Telnet",
	135: "MSRPC",
	137: "NetBIOS name",
	138: "NetBIOS datagram",
	139: "NetBIOS session",
	445: "SMB",
	1433: "MSSQL",
	1434: "MSSQL browser",
	1521: "Oracle",
	2049: "NFS",
	2375: "Docker API",
	2376: "Docker API (TLS)",
	2379: "etcd client",
	2380: "etcd peer",
	3306: "MySQL",
	3389: "RDP",
	5432: "PostgreSQL",
	5601: "Kibana",
	5900: "VNC",
	5984: "CouchDB",
	5985: "WinRM",
	5986: "WinRM (HTTPS)",
	6379: "Redis",
	6443: "Kubernetes API",
	7001: "WebLogic",
	8020: "Hadoop NameNode",
	9000: "Hadoop",
	9042: "Cassandra",
	9092: "Kafka",
	9200: "Elasticsearch",
	9300: "Elasticsearch transport",
	10250: "kubelet",
	11211: "Memcached",
	27017: "MongoDB",
	27018: "MongoDB shard",
}

# min_port and max_port bound the TCP and UDP port space.
min_port := 0

max_port := 65535

# all_protocols is the normalised name of "every protocol" (AWS "-1", Terraform
# also accepts "all").
all_protocols := "-1"

# _protocol_names maps the protocol numbers AWS accepts to the names used in
# normalised rules.
_protocol_names := {
	"-1": "-1",
	"all": "-1",
	"6": "tcp",
	"17": "udp",
	"1": "icmp",
	"58": "icmpv6",
}

# normalise_protocol(p) turns a protocol as written (a name or a number, a
# string or a JSON number, any case) into a lower-case name: "tcp", "udp",
# "icmp", "icmpv6", "-1" for all protocols, or the lower-cased text for the
# others ("50" for ESP).
normalise_protocol(p) := name if {
	s := lower(trim_space(sprintf("%v", [p])))
	name := object.get(_protocol_names, s, s)
}

# port_based(protocol) is true for the normalised protocols whose traffic is
# addressed by TCP or UDP port. For every other protocol (ICMP, ESP, GRE...)
# from_port and to_port are not ports (for ICMP they are type and code).
port_based(protocol) if protocol in {"tcp", "udp", all_protocols}

# to_port_number(x) normalises a port as written: a JSON number, or a string
# holding one ("22", as a user may write it in HCL or YAML). Undefined when x
# is not a number.
to_port_number(x) := x if is_number(x)

to_port_number(x) := to_number(trim_space(x)) if {
	is_string(x)
	regex.match(`^\s*-?[0-9]+\s*$`, x)
}

# range_includes(from, to, p) is true when port p lies in from..to.
range_includes(from, to, p) if {
	from <= p
	p <= to
}

# includes(rule, p) is true when the normalised network rule (see
# portcullis.lib.network) lets traffic reach TCP/UDP port p: every port for
# protocol -1, the from_port..to_port range for TCP and UDP, never for ICMP and
# other port-less protocols, never when the ports are unknown.
includes(rule, p) if {
	rule.port_based
	rule.ports_known
	range_includes(rule.from_port, rule.to_port, p)
}

# _sensitive_sorted is the sensitive ports in ascending order.
_sensitive_sorted := sort(object.keys(sensitive))

# sensitive_in(rule) is the sorted array of sensitive ports the rule opens
# (empty for port-less protocols and unknown ports).
sensitive_in(rule) := [] if {
	not _has_ports(rule)
} else := [rule.from_port] if {
	# A single port is one lookup.
	rule.from_port == rule.to_port
	sensitive[rule.from_port]
} else := [] if {
	rule.from_port == rule.to_port
} else := [p |
	some p in _sensitive_sorted
	rule.from_port <= p
	p <= rule.to_port
]

_has_ports(rule) if {
	rule.port_based
	rule.ports_known
}

# label(p) formats a port for a message: "22 (SSH)" for a sensitive port, "443"
# otherwise.
label(p) := sprintf("%v (%s)", [p, sensitive[p]])

label(p) := sprintf("%v", [p]) if not sensitive[p]
