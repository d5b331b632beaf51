package terraform

import (
	"fmt"
	"regexp"

	"github.com/zclconf/go-cty/cty"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// terraform-aws-modules/vpc/aws, version 6 (its main.tf, vpc-flow-logs.tf
// and variables.tf, as data): the parts that matter to network rules. The
// VPC, the default VPC, the default security group and network ACL it
// adopts, the public and private subnets, their dedicated network ACLs
// and rules, the flow log and its CloudWatch log group. Route tables,
// gateways, endpoints and the database, redshift, elasticache, intra and
// outpost subnets are not built.

// vpcVars declares the module's inputs that those resources read. A call
// that admits only versions before 4.0 gets the defaults those versions
// had: public subnets mapped public IPs on launch, and the default
// security group and network ACL were not adopted.
func vpcVars(major int) map[string]regVar {
	str, strNull := cty.String, cty.NullVal(cty.String)
	listStr, listMap := cty.List(cty.String), cty.List(cty.Map(cty.String))
	tags := regVar{cty.Map(str), cty.MapValEmpty(str)}
	allowAll := func(ipv6 bool) map[string]string {
		m := map[string]string{"from_port": "0", "to_port": "0", "protocol": "-1"}
		if ipv6 {
			m["ipv6_cidr_block"] = "::/0"
		} else {
			m["cidr_block"] = "0.0.0.0/0"
		}
		return m
	}
	defaultACL := strMapList(withEntries(allowAll(false), "rule_no", "100", "action", "allow"),
		withEntries(allowAll(true), "rule_no", "101", "action", "allow"))
	tierACL := strMapList(withEntries(allowAll(false), "rule_number", "100", "rule_action", "allow"))
	v := map[string]regVar{
		"create_vpc":                           {cty.Bool, cty.True},
		"putin_khuylo":                         {cty.Bool, cty.True},
		"region":                               {str, strNull},
		"name":                                 {str, cty.StringVal("")},
		"cidr":                                 {str, cty.StringVal("10.0.0.0/16")},
		"use_ipam_pool":                        {cty.Bool, cty.False},
		"ipv4_ipam_pool_id":                    {str, strNull},
		"ipv4_netmask_length":                  {cty.Number, cty.NullVal(cty.Number)},
		"enable_ipv6":                          {cty.Bool, cty.False},
		"ipv6_cidr":                            {str, strNull},
		"ipv6_ipam_pool_id":                    {str, strNull},
		"ipv6_netmask_length":                  {cty.Number, cty.NullVal(cty.Number)},
		"ipv6_cidr_block_network_border_group": {str, strNull},
		"instance_tenancy":                     {str, cty.StringVal("default")},
		"enable_dns_hostnames":                 {cty.Bool, cty.True},
		"enable_dns_support":                   {cty.Bool, cty.True},
		"enable_network_address_usage_metrics": {cty.Bool, cty.NullVal(cty.Bool)},
		"tags":                                 tags,
		"vpc_tags":                             tags,
		"azs":                                  {listStr, cty.ListValEmpty(str)},
		"one_nat_gateway_per_az":               {cty.Bool, cty.False},

		"manage_default_vpc":               {cty.Bool, cty.False},
		"default_vpc_enable_dns_support":   {cty.Bool, cty.True},
		"default_vpc_enable_dns_hostnames": {cty.Bool, cty.True},
		"default_vpc_name":                 {str, strNull},
		"default_vpc_tags":                 tags,

		"manage_default_security_group":  {cty.Bool, cty.True},
		"default_security_group_ingress": {listMap, cty.ListValEmpty(cty.Map(str))},
		"default_security_group_egress":  {listMap, cty.ListValEmpty(cty.Map(str))},
		"default_security_group_name":    {str, strNull},
		"default_security_group_tags":    tags,

		"manage_default_network_acl":  {cty.Bool, cty.True},
		"default_network_acl_ingress": {listMap, defaultACL},
		"default_network_acl_egress":  {listMap, defaultACL},
		"default_network_acl_name":    {str, strNull},
		"default_network_acl_tags":    tags,

		"enable_flow_log":                                 {cty.Bool, cty.False},
		"flow_log_destination_type":                       {str, cty.StringVal("cloud-watch-logs")},
		"flow_log_destination_arn":                        {str, cty.StringVal("")},
		"flow_log_log_format":                             {str, strNull},
		"flow_log_cloudwatch_iam_role_arn":                {str, cty.StringVal("")},
		"flow_log_deliver_cross_account_role":             {str, strNull},
		"flow_log_traffic_type":                           {str, cty.StringVal("ALL")},
		"flow_log_max_aggregation_interval":               {cty.Number, cty.NumberIntVal(600)},
		"flow_log_file_format":                            {str, strNull},
		"flow_log_hive_compatible_partitions":             {cty.Bool, cty.False},
		"flow_log_per_hour_partition":                     {cty.Bool, cty.False},
		"create_flow_log_cloudwatch_log_group":            {cty.Bool, cty.False},
		"create_flow_log_cloudwatch_iam_role":             {cty.Bool, cty.False},
		"flow_log_cloudwatch_log_group_name_prefix":       {str, cty.StringVal("/aws/vpc-flow-log/")},
		"flow_log_cloudwatch_log_group_name_suffix":       {str, cty.StringVal("")},
		"flow_log_cloudwatch_log_group_retention_in_days": {cty.Number, cty.NullVal(cty.Number)},
		"flow_log_cloudwatch_log_group_kms_key_id":        {str, strNull},
		"flow_log_cloudwatch_log_group_skip_destroy":      {cty.Bool, cty.False},
		"flow_log_cloudwatch_log_group_class":             {str, strNull},
		"vpc_flow_log_tags":                               tags,
	}
	for _, tier := range vpcTiers {
		t := tier.name
		v[t+"_subnets"] = regVar{listStr, cty.ListValEmpty(str)}
		v[t+"_subnet_ipv6_prefixes"] = regVar{listStr, cty.ListValEmpty(str)}
		v[t+"_subnet_ipv6_native"] = regVar{cty.Bool, cty.False}
		v[t+"_subnet_assign_ipv6_address_on_creation"] = regVar{cty.Bool, cty.False}
		v[t+"_subnet_enable_dns64"] = regVar{cty.Bool, cty.True}
		v[t+"_subnet_enable_resource_name_dns_aaaa_record_on_launch"] = regVar{cty.Bool, cty.True}
		v[t+"_subnet_enable_resource_name_dns_a_record_on_launch"] = regVar{cty.Bool, cty.False}
		v[t+"_subnet_private_dns_hostname_type_on_launch"] = regVar{str, strNull}
		v[t+"_subnet_suffix"] = regVar{str, cty.StringVal(t)}
		v[t+"_subnet_names"] = regVar{listStr, cty.ListValEmpty(str)}
		v[t+"_subnet_tags"] = tags
		v[t+"_subnet_tags_per_az"] = regVar{cty.Map(cty.Map(str)), cty.MapValEmpty(cty.Map(str))}
		v[t+"_dedicated_network_acl"] = regVar{cty.Bool, cty.False}
		v[t+"_inbound_acl_rules"] = regVar{listMap, tierACL}
		v[t+"_outbound_acl_rules"] = regVar{listMap, tierACL}
		v[t+"_acl_tags"] = tags
	}
	v["map_public_ip_on_launch"] = regVar{cty.Bool, cty.False}
	if major > 0 && major < 4 {
		v["map_public_ip_on_launch"] = regVar{cty.Bool, cty.True}
		v["manage_default_security_group"] = regVar{cty.Bool, cty.False}
		v["manage_default_network_acl"] = regVar{cty.Bool, cty.False}
	}
	return v
}

// withEntries returns m with more entries (key, value, key, value...).
func withEntries(m map[string]string, kv ...string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}

// vpcTier is a tier of subnets.
type vpcTier struct {
	name string
	// public: map_public_ip_on_launch is set, and the subnets are not
	// created when one_nat_gateway_per_az asks for more zones than there
	// are subnets.
	public bool
}

var vpcTiers = []vpcTier{{"public", true}, {"private", false}}

type vpcModel struct {
	rc  *regCall
	in  map[string]regInput
	vpc []*regRes
}

func buildVPC(rc *regCall) {
	m := &vpcModel{rc: rc, in: rc.bind(vpcVars(rc.major))}
	m.build()
}

// set sets attr from the input of the same name (or of name).
func (m *vpcModel) set(r *regRes, attr string, name ...string) {
	n := attr
	if len(name) > 0 {
		n = name[0]
	}
	in := m.in[n]
	r.set(attr, in.v, in.src)
}

// vpcRef sets attr to an unknown attribute of the VPC, with the edge.
func (m *vpcModel) vpcRef(r *regRes, attr, vpcAttr string) {
	r.set(attr, cty.UnknownVal(cty.String), header)
	r.ref(attr, vpcAttr, m.vpc...)
}

func (m *vpcModel) build() {
	rc, in := m.rc, m.in
	createVPC := and(in["create_vpc"].v, in["putin_khuylo"].v)
	createAt := in["create_vpc"].src

	for _, inst := range rc.instances(rc.when(createVPC, createAt, knownCount(1))) {
		r := rc.resource("aws_vpc", "this", inst)
		useIPAM := in["use_ipam_pool"].v
		r.set("cidr_block", cond(useIPAM, cty.NullVal(cty.String), in["cidr"].v), in["cidr"].src)
		for _, a := range []string{"region", "ipv4_ipam_pool_id", "ipv4_netmask_length", "ipv6_ipam_pool_id", "ipv6_netmask_length",
			"ipv6_cidr_block_network_border_group", "instance_tenancy", "enable_dns_hostnames", "enable_dns_support", "enable_network_address_usage_metrics"} {
			m.set(r, a)
		}
		m.set(r, "ipv6_cidr_block", "ipv6_cidr")
		r.set("assign_generated_ipv6_cidr_block", cond(and(in["enable_ipv6"].v, not(useIPAM)), cty.True, cty.NullVal(cty.Bool)), in["enable_ipv6"].src)
		m.tags(r, map[string]cty.Value{"Name": in["name"].v}, in["name"].src, "tags", "vpc_tags")
		m.vpc = append(m.vpc, r)
	}
	rc.output("vpc_id", "id", m.vpc...)
	rc.output("vpc_arn", "arn", m.vpc...)
	rc.output("vpc_cidr_block", "cidr_block", m.vpc...)
	rc.output("default_security_group_id", "default_security_group_id", m.vpc...)
	rc.output("default_network_acl_id", "default_network_acl_id", m.vpc...)

	for _, inst := range rc.instances(rc.when(in["manage_default_vpc"].v, in["manage_default_vpc"].src, knownCount(1))) {
		r := rc.resource("aws_default_vpc", "this", inst)
		m.set(r, "region")
		m.set(r, "enable_dns_support", "default_vpc_enable_dns_support")
		m.set(r, "enable_dns_hostnames", "default_vpc_enable_dns_hostnames")
		m.tags(r, map[string]cty.Value{"Name": coalesce(in["default_vpc_name"].v, cty.StringVal("default"))}, in["default_vpc_name"].src, "tags", "default_vpc_tags")
		rc.output("default_vpc_id", "id", r)
		rc.output("default_vpc_arn", "arn", r)
		rc.output("default_vpc_default_security_group_id", "default_security_group_id", r)
	}

	m.defaultSecurityGroup(createVPC)
	m.defaultNetworkACL(createVPC)
	for _, t := range vpcTiers {
		m.tier(t, createVPC)
	}
	m.flowLog()
}

// tags sets tags = merge(fixed, var.<maps>...): the range of the first map
// given, and of tags.Name the source of the name.
func (m *vpcModel) tags(r *regRes, fixed map[string]cty.Value, nameSrc regSrc, maps ...string) {
	vals := make([]cty.Value, len(maps))
	src := header
	for i, n := range maps {
		vals[i] = m.in[n].v
		if src.arg == "" {
			src = m.in[n].src
		}
	}
	r.set("tags", mergeTags(fixed, vals...), src)
	if fixed != nil {
		r.from("tags.Name", nameSrc)
	}
}

// coalesce is coalesce(v, def) of strings.
func coalesce(v, def cty.Value) cty.Value {
	u, marks := v.Unmark()
	if !u.IsKnown() {
		return cty.UnknownVal(cty.String).WithMarks(marks)
	}
	if u.IsNull() || u.AsString() == "" {
		return def.WithMarks(marks)
	}
	return v
}

// joined is "${a}<sep>${b}" of strings (unknown when either is, or is null).
func joined(sep string, parts ...cty.Value) cty.Value {
	var marks []cty.ValueMarks
	s := ""
	for i, p := range parts {
		u, m := p.Unmark()
		marks = append(marks, m)
		if !u.IsKnown() || u.IsNull() || u.Type() != cty.String {
			return cty.UnknownVal(cty.String).WithMarks(marks...)
		}
		if i > 0 {
			s += sep
		}
		s += u.AsString()
	}
	return cty.StringVal(s).WithMarks(marks...)
}

// blocks builds the blocks a dynamic block generates from a list input
// (one unknown block when the list is unknown; one representative block,
// with an error, when it is sensitive), each from its element.
func (m *vpcModel) blocks(r *regRes, typ string, l regInput, build func(el regItem, path string) cty.Value) {
	e := m.rc.e
	var vals []cty.Value
	for i, inst := range e.dynamicInstances(l.v, m.rc.rng(l.src), nil, typ) {
		path := fmt.Sprintf("%s.%d", typ, i)
		el := l.item(inst)
		r.from(path, el.src)
		if inst.unknown {
			r.meta["dynamic_unknown"] = appendMeta(r.meta["dynamic_unknown"], path)
		}
		vals = append(vals, build(el, path))
	}
	if len(vals) > 0 {
		r.attrs[typ] = cty.TupleVal(vals) // no block: no attribute, as for blocks written out
	}
}

// entry is a key of a map element: its value, or def when absent (nil
// def: the key is required, and its absence makes the value unknown, with
// a warning).
func (m *vpcModel) entry(r *regRes, el regItem, key string, def *cty.Value, path string) cty.Value {
	f, ok := field(el, key)
	switch {
	case ok:
	case def != nil:
		f = regItem{v: *def, src: header}
	default:
		m.rc.e.diag(graph.SeverityWarning, "missing rule entry",
			fmt.Sprintf("module %q: an element of this list has no %q, which the module requires; its value is unknown", m.rc.call.name, key), m.rc.rng(el.src))
		f = regItem{v: cty.UnknownVal(cty.String).WithMarks(marksOf(el.v)), src: el.src}
	}
	r.from(path, f.src)
	return f.v
}

func strPtr(s string) *cty.Value {
	v := cty.StringVal(s)
	return &v
}

var nullString = cty.NullVal(cty.String)

func (m *vpcModel) defaultSecurityGroup(createVPC cty.Value) {
	rc, in := m.rc, m.in
	for _, inst := range rc.instances(rc.when(and(createVPC, in["manage_default_security_group"].v), in["manage_default_security_group"].src, knownCount(1))) {
		r := rc.resource("aws_default_security_group", "this", inst)
		m.set(r, "region")
		m.vpcRef(r, "vpc_id", "id")
		for _, dir := range []string{"ingress", "egress"} {
			m.blocks(r, dir, in["default_security_group_"+dir], func(el regItem, path string) cty.Value {
				obj := map[string]cty.Value{}
				obj["self"] = m.entry(r, el, "self", &nullString, path+".self")
				for _, a := range []string{"cidr_blocks", "ipv6_cidr_blocks", "prefix_list_ids", "security_groups"} {
					f := lookup(el, a, cty.StringVal(""))
					v, parts := splitList(f)
					obj[a] = v
					r.from(path+"."+a, f.src)
					for i, p := range parts {
						r.from(fmt.Sprintf("%s.%s.%d", path, a, i), p)
					}
				}
				obj["description"] = m.entry(r, el, "description", &nullString, path+".description")
				obj["from_port"] = m.entry(r, el, "from_port", strPtr("0"), path+".from_port")
				obj["to_port"] = m.entry(r, el, "to_port", strPtr("0"), path+".to_port")
				obj["protocol"] = m.entry(r, el, "protocol", strPtr("-1"), path+".protocol")
				return cty.ObjectVal(obj)
			})
		}
		name := in["name"]
		m.tags(r, map[string]cty.Value{"Name": coalesce(in["default_security_group_name"].v, joined("", name.v, cty.StringVal("-default")))},
			in["default_security_group_name"].src, "tags", "default_security_group_tags")
	}
}

func (m *vpcModel) defaultNetworkACL(createVPC cty.Value) {
	rc, in := m.rc, m.in
	for _, inst := range rc.instances(rc.when(and(createVPC, in["manage_default_network_acl"].v), in["manage_default_network_acl"].src, knownCount(1))) {
		r := rc.resource("aws_default_network_acl", "this", inst)
		m.set(r, "region")
		m.vpcRef(r, "default_network_acl_id", "default_network_acl_id")
		for _, dir := range []string{"ingress", "egress"} {
			m.blocks(r, dir, in["default_network_acl_"+dir], func(el regItem, path string) cty.Value {
				obj := map[string]cty.Value{}
				for _, a := range []string{"action", "from_port", "protocol", "rule_no", "to_port"} {
					obj[a] = m.entry(r, el, a, nil, path+"."+a)
				}
				for _, a := range []string{"cidr_block", "icmp_code", "icmp_type", "ipv6_cidr_block"} {
					obj[a] = m.entry(r, el, a, &nullString, path+"."+a)
				}
				return cty.ObjectVal(obj)
			})
		}
		m.tags(r, map[string]cty.Value{"Name": coalesce(in["default_network_acl_name"].v, joined("", in["name"].v, cty.StringVal("-default")))},
			in["default_network_acl_name"].src, "tags", "default_network_acl_tags")
	}
}

// azPattern tells an availability zone name (eu-west-1a) from a zone ID
// (euw1-az1), as the module does.
var azPattern = regexp.MustCompile(`^[a-z]{2}-`)

// maxCount is max(length(a), length(b)).
func (rc *regCall) maxCount(a, b regInput) regCount {
	ca, cb := rc.listCount(a), rc.listCount(b)
	switch {
	case ca.secret || !ca.known:
		return ca
	case cb.secret || !cb.known:
		return cb
	case cb.n > ca.n:
		return cb
	}
	return ca
}

// tier builds the subnets of a tier, its dedicated network ACL and the
// ACL's rules.
func (m *vpcModel) tier(t vpcTier, createVPC cty.Value) {
	rc, in := m.rc, m.in
	p := func(s string) regInput { return in[t.name+"_"+s] }
	subnets := p("subnets")
	n := rc.maxCount(subnets, p("subnet_ipv6_prefixes"))
	count := rc.when(createVPC, in["create_vpc"].src, n)
	if t.public && count.known && count.n > 0 {
		// !one_nat_gateway_per_az || len >= length(azs)
		azs := rc.listCount(in["azs"])
		enough := cty.UnknownVal(cty.Bool)
		if azs.known {
			enough = cty.BoolVal(count.n >= azs.n)
		}
		count = rc.when(or(not(in["one_nat_gateway_per_az"].v), enough), in["one_nat_gateway_per_az"].src, count)
	}
	var created []*regRes
	for _, inst := range rc.instances(count) {
		r := rc.resource("aws_subnet", t.name, inst)
		created = append(created, r)
		m.set(r, "region")
		enableIPv6, native := in["enable_ipv6"].v, p("subnet_ipv6_native").v
		r.set("assign_ipv6_address_on_creation", cond(and(enableIPv6, native), cty.True, p("subnet_assign_ipv6_address_on_creation").v), p("subnet_assign_ipv6_address_on_creation").src)
		az := m.zone(inst)
		zone, zoneID := cty.UnknownVal(cty.String), cty.UnknownVal(cty.String)
		if u, marks := az.v.Unmark(); u.IsKnown() && !u.IsNull() {
			if azPattern.MatchString(u.AsString()) {
				zone, zoneID = az.v, cty.NullVal(cty.String).WithMarks(marks)
			} else {
				zone, zoneID = cty.NullVal(cty.String).WithMarks(marks), az.v
			}
		}
		r.set("availability_zone", zone, az.src)
		r.set("availability_zone_id", zoneID, az.src)
		cidr := subnets.item(inst)
		if subnets.known && !inst.unknown {
			if i, _ := inst.key.AsBigFloat().Int64(); int(i) >= len(subnets.items) {
				cidr = regItem{v: cty.StringVal(""), src: header} // element(concat(subnets, [""]), i)
			}
		}
		r.set("cidr_block", cond(native, cty.NullVal(cty.String), cidr.v), cidr.src)
		r.set("enable_dns64", and(enableIPv6, p("subnet_enable_dns64").v), p("subnet_enable_dns64").src)
		r.set("enable_resource_name_dns_aaaa_record_on_launch", and(enableIPv6, p("subnet_enable_resource_name_dns_aaaa_record_on_launch").v), p("subnet_enable_resource_name_dns_aaaa_record_on_launch").src)
		r.set("enable_resource_name_dns_a_record_on_launch", and(not(native), p("subnet_enable_resource_name_dns_a_record_on_launch").v), p("subnet_enable_resource_name_dns_a_record_on_launch").src)
		prefixes := p("subnet_ipv6_prefixes")
		hasPrefixes := cty.UnknownVal(cty.Bool)
		if c := rc.listCount(prefixes); c.known {
			hasPrefixes = cty.BoolVal(c.n > 0)
		}
		ipv6 := and(enableIPv6, hasPrefixes)
		r.set("ipv6_cidr_block", cond(ipv6, cty.UnknownVal(cty.String), cty.NullVal(cty.String)), prefixes.src)
		if !isFalse(ipv6) {
			r.ref("ipv6_cidr_block", "ipv6_cidr_block", m.vpc...)
		}
		r.set("ipv6_native", and(enableIPv6, native), p("subnet_ipv6_native").src)
		if t.public {
			m.set(r, "map_public_ip_on_launch")
		}
		m.set(r, "private_dns_hostname_type_on_launch", t.name+"_subnet_private_dns_hostname_type_on_launch")
		m.vpcRef(r, "vpc_id", "id")
		// Name = try(names[i], format("${name}-${suffix}-%s", element(azs, i)))
		names := p("subnet_names")
		name := regItem{v: joined("-", in["name"].v, p("subnet_suffix").v, az.v), src: az.src}
		switch {
		case !names.known || inst.unknown:
			name = regItem{v: cty.UnknownVal(cty.String).WithMarks(marksOf(names.v)), src: names.src}
		default:
			if i, _ := inst.key.AsBigFloat().Int64(); int(i) < len(names.items) {
				name = names.items[i]
			}
		}
		// merge(..., lookup(tags_per_az, element(azs, i), {})): a map of
		// the zone's tags, unknown with the zone.
		perAZ := cty.DynamicVal.WithMarks(marksOf(az.v))
		if u, marks := az.v.Unmark(); u.IsKnown() && !u.IsNull() {
			zoneTags := lookup(regItem{v: p("subnet_tags_per_az").v}, u.AsString(), cty.MapValEmpty(cty.String))
			perAZ = zoneTags.v.WithMarks(marks)
		}
		m.tags(r, map[string]cty.Value{"Name": name.v}, name.src, "tags", t.name+"_subnet_tags")
		r.attrs["tags"] = mergeTags(map[string]cty.Value{"Name": name.v}, in["tags"].v, p("subnet_tags").v, perAZ)
	}
	rc.output(t.name+"_subnets", "id", created...)
	rc.output(t.name+"_subnet_arns", "arn", created...)
	rc.output(t.name+"_subnets_cidr_blocks", "cidr_block", created...)

	// The dedicated network ACL and its rules.
	createTier := rc.when(createVPC, in["create_vpc"].src, n)
	dedicated := p("dedicated_network_acl")
	aclCond := cty.False
	switch {
	case createTier.secret:
		aclCond = cty.UnknownVal(cty.Bool).Mark(sensitiveMark{})
	case !createTier.known:
		aclCond = cty.UnknownVal(cty.Bool)
	case createTier.n > 0:
		aclCond = cty.True
	}
	aclCond = and(aclCond, dedicated.v)
	var acls []*regRes
	for _, inst := range rc.instances(rc.when(aclCond, dedicated.src, knownCount(1))) {
		r := rc.resource("aws_network_acl", t.name, inst)
		acls = append(acls, r)
		m.set(r, "region")
		m.vpcRef(r, "vpc_id", "id")
		ids := make([]cty.Value, len(created))
		for i := range created {
			ids[i] = cty.UnknownVal(cty.String)
		}
		if len(created) == 1 && created[0].in.unknown {
			r.set("subnet_ids", cty.UnknownVal(cty.List(cty.String)), header)
		} else {
			r.set("subnet_ids", cty.TupleVal(ids), header)
		}
		r.ref("subnet_ids", "id", created...)
		m.tags(r, map[string]cty.Value{"Name": joined("-", in["name"].v, p("subnet_suffix").v)}, in["name"].src, "tags", t.name+"_acl_tags")
	}
	rc.output(t.name+"_network_acl_id", "id", acls...)
	for _, dir := range []string{"inbound", "outbound"} {
		rules := p(dir + "_acl_rules")
		for _, inst := range rc.instances(rc.when(aclCond, dedicated.src, rc.listCount(rules))) {
			r := rc.resource("aws_network_acl_rule", t.name+"_"+dir, inst)
			el := rules.item(inst)
			m.set(r, "region")
			r.set("network_acl_id", cty.UnknownVal(cty.String), header)
			r.ref("network_acl_id", "id", acls...)
			r.set("egress", cty.BoolVal(dir == "outbound"), header)
			for _, a := range []string{"rule_number", "rule_action", "protocol"} {
				r.attrs[a] = m.entry(r, el, a, nil, a)
			}
			for _, a := range []string{"from_port", "to_port", "icmp_code", "icmp_type", "cidr_block", "ipv6_cidr_block"} {
				r.attrs[a] = m.entry(r, el, a, &nullString, a)
			}
		}
	}
}

// zone is element(azs, i) for a subnet instance: unknown when azs or the
// index is (or when azs is empty: Terraform fails).
func (m *vpcModel) zone(inst instance) regItem {
	azs := m.in["azs"]
	if !azs.known || len(azs.items) == 0 || inst.unknown {
		return regItem{v: cty.UnknownVal(cty.String).WithMarks(marksOf(azs.v)), src: azs.src}
	}
	i, _ := inst.key.AsBigFloat().Int64()
	return azs.items[int(i)%len(azs.items)]
}

func (m *vpcModel) flowLog() {
	rc, in := m.rc, m.in
	enable := and(in["create_vpc"].v, in["enable_flow_log"].v)
	destType := in["flow_log_destination_type"]
	notS3 := cty.UnknownVal(cty.Bool).WithMarks(marksOf(destType.v))
	if u, marks := destType.v.Unmark(); u.IsKnown() && !u.IsNull() {
		notS3 = cty.BoolVal(u.AsString() != "s3").WithMarks(marks)
	}
	createGroup := and(enable, notS3, in["create_flow_log_cloudwatch_log_group"].v)
	createRole := and(enable, notS3, in["create_flow_log_cloudwatch_iam_role"].v)

	var groups []*regRes
	for _, inst := range rc.instances(rc.when(createGroup, in["create_flow_log_cloudwatch_log_group"].src, knownCount(1))) {
		r := rc.resource("aws_cloudwatch_log_group", "flow_log", inst)
		groups = append(groups, r)
		m.set(r, "region")
		prefix, suffix := in["flow_log_cloudwatch_log_group_name_prefix"], in["flow_log_cloudwatch_log_group_name_suffix"]
		if u, _ := suffix.v.Unmark(); u.IsKnown() && !u.IsNull() && u.AsString() != "" {
			r.set("name", joined("", prefix.v, suffix.v), suffix.src)
		} else {
			r.set("name", cty.UnknownVal(cty.String), prefix.src) // the suffix is the VPC's id
			r.ref("name", "id", m.vpc...)
		}
		m.set(r, "retention_in_days", "flow_log_cloudwatch_log_group_retention_in_days")
		m.set(r, "kms_key_id", "flow_log_cloudwatch_log_group_kms_key_id")
		m.set(r, "skip_destroy", "flow_log_cloudwatch_log_group_skip_destroy")
		m.set(r, "log_group_class", "flow_log_cloudwatch_log_group_class")
		m.tags(r, nil, header, "tags", "vpc_flow_log_tags")
	}

	for _, inst := range rc.instances(rc.when(enable, in["enable_flow_log"].src, knownCount(1))) {
		r := rc.resource("aws_flow_log", "this", inst)
		m.set(r, "region")
		m.set(r, "log_destination_type", "flow_log_destination_type")
		if isFalse(createGroup) {
			m.set(r, "log_destination", "flow_log_destination_arn")
		} else {
			r.set("log_destination", cty.UnknownVal(cty.String), in["flow_log_destination_arn"].src)
			r.ref("log_destination", "arn", groups...)
		}
		m.set(r, "log_format", "flow_log_log_format")
		if isFalse(createRole) {
			m.set(r, "iam_role_arn", "flow_log_cloudwatch_iam_role_arn")
		} else {
			r.set("iam_role_arn", cty.UnknownVal(cty.String), in["flow_log_cloudwatch_iam_role_arn"].src)
		}
		m.set(r, "deliver_cross_account_role", "flow_log_deliver_cross_account_role")
		m.set(r, "traffic_type", "flow_log_traffic_type")
		m.vpcRef(r, "vpc_id", "id")
		m.set(r, "max_aggregation_interval", "flow_log_max_aggregation_interval")
		isS3 := not(notS3)
		opts := cty.EmptyTupleVal
		switch {
		case isTrue(isS3):
			opts = cty.TupleVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{
				"file_format":                in["flow_log_file_format"].v,
				"hive_compatible_partitions": in["flow_log_hive_compatible_partitions"].v,
				"per_hour_partition":         in["flow_log_per_hour_partition"].v,
			})})
			r.from("destination_options.0.file_format", in["flow_log_file_format"].src)
			r.from("destination_options.0.hive_compatible_partitions", in["flow_log_hive_compatible_partitions"].src)
			r.from("destination_options.0.per_hour_partition", in["flow_log_per_hour_partition"].src)
		case !isFalse(isS3):
			opts = cty.DynamicVal
		}
		if !opts.IsKnown() || opts.LengthInt() > 0 {
			r.set("destination_options", opts, destType.src)
		}
		m.tags(r, nil, header, "tags", "vpc_flow_log_tags")
		rc.output("vpc_flow_log_id", "id", r)
	}
}
