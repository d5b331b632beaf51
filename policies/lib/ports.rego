# Package portcullis.lib.ports holds the list of sensitive ports and the port
# and protocol helpers the network rules use. The list is data in one place:
# rules never repeat port numbers.
package portcullis.lib.ports

# _builtin maps each port that deserves attention to the service usually
# listening on it and its category. The numbers are treated for TCP and UDP
# alike: several of these services also listen on UDP (RDP, SMB/NetBIOS,
# Memcached, which has been abused for UDP amplification, SNMP). The
# catalogue is data in one place: rules never repeat port numbers.
_builtin := {
	20: {"service": "FTP-data", "category": "admin"},
	21: {"service": "FTP", "category": "admin"},
	22: {"service": "SSH", "category": "admin"},
	23: {"service": "Telnet", "category": "admin"},
	25: {"service": "SMTP", "category": "mail"},
	80: {"service": "HTTP", "category": "web"},
	110: {"service": "POP3", "category": "mail"},
	111: {"service": "rpcbind", "category": "file sharing"},
	135: {"service": "MSRPC", "category": "admin"},
	137: {"service": "NetBIOS name", "category": "file sharing"},
	138: {"service": "NetBIOS datagram", "category": "file sharing"},
	139: {"service": "NetBIOS session", "category": "file sharing"},
	143: {"service": "IMAP", "category": "mail"},
	161: {"service": "SNMP", "category": "monitoring"},
	389: {"service": "LDAP", "category": "directory"},
	443: {"service": "HTTPS", "category": "web"},
	445: {"service": "SMB", "category": "file sharing"},
	512: {"service": "rexec", "category": "admin"},
	513: {"service": "rlogin", "category": "admin"},
	514: {"service": "rsh", "category": "admin"},
	623: {"service": "IPMI", "category": "admin"},
	636: {"service": "LDAPS", "category": "directory"},
	1099: {"service": "Java RMI", "category": "admin"},
	1433: {"service": "MSSQL", "category": "database"},
	1434: {"service": "MSSQL browser", "category": "database"},
	1521: {"service": "Oracle", "category": "database"},
	2049: {"service": "NFS", "category": "file sharing"},
	2181: {"service": "ZooKeeper", "category": "message queue"},
	2375: {"service": "Docker API", "category": "container daemon"},
	2376: {"service": "Docker API (TLS)", "category": "container daemon"},
	2379: {"service": "etcd client", "category": "container daemon"},
	2380: {"service": "etcd peer", "category": "container daemon"},
	3000: {"service": "Grafana", "category": "monitoring"},
	3306: {"service": "MySQL", "category": "database"},
	3389: {"service": "RDP", "category": "admin"},
	4333: {"service": "mSQL", "category": "database"},
	4369: {"service": "Erlang port mapper (RabbitMQ)", "category": "message queue"},
	5432: {"service": "PostgreSQL", "category": "database"},
	5500: {"service": "VNC (listener)", "category": "admin"},
	5601: {"service": "Kibana", "category": "search"},
	5671: {"service": "AMQP (TLS)", "category": "message queue"},
	5672: {"service": "AMQP", "category": "message queue"},
	5900: {"service": "VNC", "category": "admin"},
	5984: {"service": "CouchDB", "category": "database"},
	5985: {"service": "WinRM", "category": "admin"},
	5986: {"service": "WinRM (HTTPS)", "category": "admin"},
	6379: {"service": "Redis", "category": "cache"},
	6443: {"service": "Kubernetes API", "category": "container daemon"},
	7001: {"service": "WebLogic", "category": "admin"},
	8020: {"service": "Hadoop NameNode", "category": "database"},
	8080: {"service": "HTTP (alternate)", "category": "web"},
	8086: {"service": "InfluxDB", "category": "database"},
	8088: {"service": "Hadoop YARN", "category": "database"},
	8443: {"service": "HTTPS (alternate)", "category": "web"},
	8888: {"service": "Jupyter", "category": "admin"},
	9000: {"service": "Hadoop", "category": "database"},
	9042: {"service": "Cassandra", "category": "database"},
	9090: {"service": "Prometheus", "category": "monitoring"},
	9092: {"service": "Kafka", "category": "message queue"},
	9093: {"service": "Alertmanager", "category": "monitoring"},
	9100: {"service": "Prometheus node exporter", "category": "monitoring"},
	9200: {"service": "Elasticsearch", "category": "search"},
	9300: {"service": "Elasticsearch transport", "category": "search"},
	10250: {"service": "kubelet", "category": "container daemon"},
	11211: {"service": "Memcached", "category": "cache"},
	15672: {"service": "RabbitMQ management", "category": "message queue"},
	27017: {"service": "MongoDB", "category": "database"},
	27018: {"service": "MongoDB shard", "category": "database"},
}

# _config is the port settings of the configuration file (ports in
# .portcullis.yaml), put in the store by the engine: {"catalogue": {"6380":
# {"service", "category"}}, "public": [80, 443]}, either key optional; empty
# without a configuration.
default _config := {}

_config := data.portcullis.config.ports

# catalogue is the built-in catalogue with the configured entries added or
# replacing built-in ones (the configuration keys ports by their decimal
# text, as JSON must).
catalogue := object.union(_builtin, {to_number(p): {"service": entry.service, "category": entry.category} |
	some p, entry in object.get(_config, "catalogue", {})
})

# public is the set of ports the configuration allows to be open to the
# internet: an open-ingress exposure of these ports alone is not reported
# (portcullis.lib.network public_only).
public := {p | some p in object.get(_config, "public", [])}

# categories maps each category to the severity of exposing it to the
# internet. Remote administration, data stores, file sharing and control
# planes are a direct path to data or to control of the host: critical.
# Monitoring leaks what it watches and is often unauthenticated, and mail
# services are public on purpose on mail servers: high. Web
# ports are often public on purpose but still deserve a review: high.
categories := {
	"admin": "critical",
	"database": "critical",
	"cache": "critical",
	"search": "critical",
	"message queue": "critical",
	"container daemon": "critical",
	"file sharing": "critical",
	"directory": "critical",
	"mail": "high",
	"monitoring": "high",
	"web": "high",
}

# unlisted_severity is the severity of exposing a port that is not in the
# catalogue.
unlisted_severity := "high"

# sensitive maps each port whose exposure is critical to its service.
sensitive := {p: entry.service |
	some p, entry in catalogue
	categories[entry.category] == "critical"
}

# min_port and max_port bound the TCP and UDP port space.
min_port := 0

max_port := 65535

# every_port is the port range a rule must cover to open every TCP/UDP port:
# 1-65535. Port 0 is reserved (no service listens on it), so a range from 1,
# as GCP rules often write it ("1-65535"), opens as much as one from 0.
every_port := [{"from": 1, "to": max_port}]

# all_protocols is the normalised name of "every protocol" (AWS "-1", Terraform
# also accepts "all").
all_protocols := "-1"

# _protocol_names maps the protocol numbers AWS accepts to the names used in
# normalised rules.
_protocol_names := {
	"-1": "-1",
	"all": "-1",
	"*": "-1",
	"132": "sctp",
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
port_based(protocol) if protocol in {"tcp", "udp", "sctp", all_protocols}

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
# protocol -1, its port ranges for TCP and UDP, never for ICMP and other
# port-less protocols, never when the ports are unknown.
includes(rule, p) if {
	rule.port_based
	rule.ports_known
	some r in rule.ranges
	range_includes(r.from, r.to, p)
}

# _sensitive_sorted is the sensitive ports in ascending order.
_sensitive_sorted := sort(object.keys(sensitive))

# sensitive_in(ranges) is the sorted array of sensitive ports in the port
# ranges [{from, to}].
sensitive_in(ranges) := sort({p |
	some r in ranges
	r.from == r.to
	sensitive[r.from]
	p := r.from
} | {p |
	some r in ranges
	r.from != r.to
	some p in _sensitive_sorted
	r.from <= p
	p <= r.to
})

# label(p) formats a port for a message: "22 (SSH)" for a port of the
# catalogue, "8081" otherwise.
label(p) := sprintf("%v (%s)", [p, catalogue[p].service])

label(p) := sprintf("%v", [p]) if not catalogue[p]
