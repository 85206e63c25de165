package affiliation

// Foundations and forge hosts, for the supply-chain dimension's measured
// facts (PHI SCJ-1, SCJ-4): whether a repository's owner is a foundation's
// organisation, and where a project is hosted and governed. A maintained
// list: each entry names where it came from and when; update the list (and
// ListDate) when a foundation's projects change. A repository whose owner is
// not listed is not thereby "not a foundation's": the measured fact is then
// missing, never "single vendor".

import (
	"strings"
)

// ListDate is the day the lists below were compiled. The CNCF list is
// generated from the CNCF landscape's data file at the commit named; the
// others are kept by hand from the foundations' project pages named in
// Source (not fetched by osgauge: it runs offline).
const ListDate = "2026-08-07"

// Foundation is an open-source foundation: the forge organisations its
// projects live in and its legal seat.
type Foundation struct {
	Name string
	// Seat is the ISO 3166-1 alpha-2 country of the foundation's legal
	// seat (its incorporation), which governs what it may ship and to whom;
	// SeatSource says where that is stated.
	Seat       string
	SeatSource string
	// Orgs are "host/org" keys (lower case) of the organisations holding
	// the foundation's projects; Prefixes match organisations by the start
	// of their name ("github.com/eclipse-" for eclipse-ee4j, …).
	Orgs     []string
	Prefixes []string
	// Source is where the organisation list came from.
	Source string
}

// Foundations is the maintained list (ListDate).
var Foundations = []Foundation{
	{Name: "Apache Software Foundation", Seat: "US",
		SeatSource: "apache.org/foundation: a US 501(c)(3) non-profit corporation (Delaware)",
		Orgs:       []string{"github.com/apache"},
		Source:     "infra.apache.org/github.html: ASF projects' repositories are in github.com/apache (mirrored from gitbox.apache.org)"},
	{Name: "Cloud Native Computing Foundation (Linux Foundation)", Seat: "US",
		SeatSource: "cncf.io/about: part of the Linux Foundation, a US 501(c)(6) non-profit (San Francisco)",
		Orgs:       ghOrgs(cncfOrgs),
		Source:     "github.com/cncf/landscape landscape.yml at 153d699 (2026-08-07): the GitHub organisations of the repo_url of every graduated, incubating and sandbox project"},
	{Name: "Linux Foundation", Seat: "US",
		SeatSource: "linuxfoundation.org/about: a US 501(c)(6) non-profit (San Francisco)",
		Orgs: ghOrgs([]string{"linuxfoundation", "lf-edge", "hyperledger", "hyperledger-labs", "lfai", "ossf", "spdx",
			"openchain-project", "todogroup", "zephyrproject-rtos", "finos", "cdfoundation", "jenkinsci", "spinnaker",
			"graphql", "valkey-io", "opensearch-project", "pytorch", "openmainframeproject"}),
		Source: "linuxfoundation.org/projects (foundations and projects hosted by the Linux Foundation), hand-kept"},
	{Name: "Eclipse Foundation", Seat: "BE",
		SeatSource: "eclipse.org/org: Eclipse Foundation AISBL, an international non-profit association in Brussels since 2021",
		Orgs:       []string{"github.com/eclipse"},
		Prefixes:   []string{"github.com/eclipse-"},
		Source:     "Eclipse Foundation Project Handbook (eclipse.org/projects/handbook, \"GitHub\"): project repositories are in the eclipse organisation or an eclipse-<project> organisation"},
	{Name: "OpenJS Foundation (Linux Foundation)", Seat: "US",
		SeatSource: "openjsf.org/about: a Linux Foundation project, US",
		Orgs: ghOrgs([]string{"openjs-foundation", "nodejs", "electron", "webpack", "expressjs", "eslint", "jquery",
			"mochajs", "jestjs", "lodash", "webdriverio", "appium", "fastify", "ampproject", "dojo"}),
		Source: "openjsf.org/projects (impact, growth and at-large projects), hand-kept"},
	{Name: "Python Software Foundation", Seat: "US",
		SeatSource: "python.org/psf: a US 501(c)(3) non-profit corporation",
		Orgs:       ghOrgs([]string{"python", "psf"}),
		Source:     "python.org/psf and github.com/python (CPython and the PSF's repositories)"},
	{Name: "OpenInfra Foundation", Seat: "US",
		SeatSource: "openinfra.org/about: a US non-profit (Austin, Texas), part of the Linux Foundation since 2025",
		Orgs:       ghOrgs([]string{"openstack", "openinfradev", "kata-containers", "starlingx", "airshipit"}),
		Source:     "openinfra.org/projects (OpenStack, Kata Containers, StarlingX, Airship), hand-kept"},
	{Name: "OpenAtom Foundation (开放原子开源基金会)", Seat: "CN",
		SeatSource: "openatom.org: a non-profit foundation registered in Beijing (民政部登记)",
		Orgs: []string{"gitee.com/openharmony", "gitee.com/openeuler", "gitee.com/src-openeuler",
			"gitcode.com/openharmony", "gitcode.com/openeuler", "atomgit.com/openharmony", "atomgit.com/openeuler",
			"github.com/openeuler-mirror", "github.com/openharmony"},
		Source: "openatom.org/projects (OpenHarmony, openEuler) and the projects' own repositories (gitee.com/openharmony, gitee.com/openeuler; GitHub mirrors), hand-kept"},
}

// HostPlace is where a forge is run from: the country whose law governs
// its terms of service, and the source saying so.
type HostPlace struct {
	Country, Operator, Source string
}

// ForgeHosts are the public forges' jurisdictions (ListDate). A host not
// listed (a bank's own server, a mirror) has no known jurisdiction here.
var ForgeHosts = map[string]HostPlace{
	"github.com":   {"US", "GitHub, Inc. (San Francisco; a Microsoft subsidiary)", "GitHub Terms of Service, R. Miscellaneous: governed by the federal laws of the United States and the laws of California (docs.github.com/site-policy)"},
	"gitlab.com":   {"US", "GitLab Inc. (San Francisco)", "GitLab Subscription Agreement: governed by the laws of the State of California (about.gitlab.com/terms)"},
	"gitee.com":    {"CN", "深圳市奥思网络科技有限公司 (OSCHINA, Shenzhen)", "gitee.com/terms (Gitee 用户协议): operated by 深圳市奥思网络科技有限公司, People's Republic of China"},
	"gitcode.com":  {"CN", "北京创新乐知网络技术有限公司 (CSDN, Beijing)", "gitcode.com (GitCode 用户服务协议): operated by 北京创新乐知网络技术有限公司, People's Republic of China"},
	"atomgit.com":  {"CN", "开放原子开源基金会 (OpenAtom Foundation, Beijing)", "atomgit.com (AtomGit 用户服务协议): the OpenAtom Foundation's platform, People's Republic of China"},
	"codeberg.org": {"DE", "Codeberg e.V. (Berlin)", "codeberg.org/codeberg/org (Codeberg e.V., a registered non-profit association in Berlin)"},
}

// FoundationFor returns the foundation whose organisation owns the
// repository at host/owner (host lower case, without port), if listed.
func FoundationFor(host, owner string) (Foundation, bool) {
	key := strings.ToLower(host) + "/" + strings.ToLower(owner)
	for _, f := range Foundations {
		for _, o := range f.Orgs {
			if o == key {
				return f, true
			}
		}
		for _, p := range f.Prefixes {
			if strings.HasPrefix(key, p) && len(key) > len(p) {
				return f, true
			}
		}
	}
	return Foundation{}, false
}

func ghOrgs(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = "github.com/" + n
	}
	return out
}

// cncfOrgs are the GitHub organisations of CNCF projects (Foundations).
var cncfOrgs = []string{
	"aeraki-mesh", "agones-dev", "antrea-io", "apicurio", "argoproj", "armadaproject", "artifacthub", "athenz",
	"backstage", "bank-vaults", "bfenetworks", "bootc-dev", "bpfman", "buildpacks", "cadence-workflow",
	"carina-io", "cartography-cncf", "carvel-dev", "cdk8s-team", "cedar-policy", "cert-manager", "chaos-mesh",
	"chaosblade-io", "cilium", "cloud-custodian", "cloudevents", "cloudnative-pg", "clusternet",
	"clusterpedia-io", "cohdi", "confidential-containers", "connectrpc", "container2wasm", "containerd",
	"containernetworking", "containers", "containerssh", "coredns", "cortexproject", "cozystack", "cri-o",
	"crossplane", "cubefs", "curvineio", "dapr", "devfile", "devspace-sh", "dexidp", "distribution",
	"dragonflyoss", "easegress-io", "emissary-ingress", "envoyproxy", "eraser-dev", "etcd-io",
	"external-secrets", "falcosecurity", "flatcar", "fluent", "fluid-cloudnative", "fluxcd", "getporter",
	"getsops", "goharbor", "grpc", "helm", "higress-group", "holmesgpt", "hwameistor", "hyperlight-dev",
	"in-toto", "inclavare-containers", "inspektor-gadget", "interlink-hq", "istio", "jaegertracing",
	"k0sproject", "k3s-io", "k8gb-io", "k8sgpt-ai", "k8up-io", "kagent-dev", "kai-scheduler", "kairos-io",
	"kaito-project", "kanisterio", "karmada-io", "kbind-dev", "kcl-lang", "kcp-dev", "kedacore", "keycloak",
	"keylime", "kgateway-dev", "kitops-ml", "kmesh-net", "knative", "ko-build", "konveyor", "koordinator-sh",
	"kptdev", "krkn-chaos", "kserve", "kuadrant", "kuasar-io", "kube-burner", "kube-logging", "kube-rs",
	"kube-vip", "kubean-io", "kubearmor", "kubeclipper", "kubeedge", "kubeelasti", "kubefleet-dev", "kubeflow",
	"kubeovn", "kubereboot", "kuberhealthy", "kubernetes", "kubernetes-sigs", "kubescape", "kubeslice",
	"kubestellar", "kubevela", "kubevirt", "kubewarden", "kudobuilder", "kumahq", "kusionstack", "kyverno",
	"lima-vm", "linkerd", "litmuschaos", "llm-d", "longhorn", "loxilb-io", "meshery", "metal3-io", "metallb",
	"microcks", "modelpack", "nats-io", "networkservicemesh", "nmstate", "notaryproject", "oauth2-proxy",
	"opcr-io", "open-cluster-management-io", "open-feature", "open-gitops", "open-policy-agent",
	"open-telemetry", "openchoreo", "opencost", "openebs", "openeverest", "openfga", "openfunction",
	"opengemini", "openkruise", "opentofu", "openyurtio", "operator-framework", "oras-project",
	"oscal-compass", "ovn-kubernetes", "oxia-db", "parallaxsecond", "paralus", "perses", "pipe-cd",
	"piraeusdatastore", "pixie-io", "podman-container-tools", "podman-desktop", "project-akri",
	"project-copacetic", "project-dalec", "project-hami", "project-stacker", "project-zot", "projectcapsule",
	"projectcontour", "prometheus", "radius-project", "ratify-project", "rook", "runatlantis", "runmedev",
	"schemahero", "score-spec", "sermant-io", "serverless-devs", "serverlessworkflow", "shipwright-io",
	"slimplanet", "slimtoolkit", "spidernet-io", "spiffe", "spinframework", "strimzi", "submariner-io",
	"sustainable-computing-io", "tektoncd", "telepresenceio", "thanos-io", "theupdateframework", "tikv",
	"tinkerbell", "tokenetes", "tremor-rs", "trickstercache", "urunc-dev", "velero-io", "virtual-kubelet",
	"vitessio", "volcano-sh", "vscode-kubernetes-tools", "wasmcloud", "wasmedge", "werf", "xregistry",
	"youki-dev",
}
