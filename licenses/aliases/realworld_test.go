package aliases

import "testing"

// Spellings from real SBOMs (testdata/realsbom-licences.txt: the CycloneDX
// SBOMs of Keycloak 10.0.2, Dropwizard 1.3.15, Juice Shop 11.1.2, Laravel
// 7.12.0, Proton Bridge 1.8.0, ProtonMail web client and a CERN tool),
// with the reading worked out by hand from the sources.
func TestRealWorldSpellings(t *testing.T) {
	check(t, []tc{
		{"Apache Software Licenses", "Apache-2.0", "ORT declared, ambiguous section"},
		{"ASL, version 2", "Apache-2.0", "ORT declared"},
		{"asl", "Apache-2.0", "ORT simple, ambiguous section ('ASL')"},
		{"Apache 2", "Apache-2.0", "ORT declared"},
		{"Apache License, Version 2.0 and Common Development And Distribution License (CDDL) Version 1.0", "Apache-2.0 AND CDDL-1.0", "ORT declared, whole"},
		{"BSD", "BSD-3-Clause", "ORT simple, ambiguous section"},
		{"BSD License", "BSD-3-Clause", "ORT declared, ambiguous section"},
		{"The BSD License", "BSD-3-Clause", "ORT declared"},
		{"BSD-like", "BSD-3-Clause", "ORT simple, ambiguous section"},
		{"BSD 3-clause New License", "BSD-3-Clause", "ORT declared"},
		{"BSD 3-clause License w/nuclear disclaimer", "BSD-3-Clause-No-Nuclear-Warranty", "ORT declared"},
		{"Bouncy Castle Licence", "MIT", "ORT declared: the Bouncy Castle licence is the MIT text"},
		{"CC0", "CC0-1.0", "ORT simple"},
		{"CDDL", "CDDL-1.0", "ORT simple, ambiguous section"},
		{"COMMON DEVELOPMENT AND DISTRIBUTION LICENSE (CDDL) Version 1.0", "CDDL-1.0", "ORT declared"},
		{"Common Development and Distribution License", "CDDL-1.0", "ORT declared, ambiguous section"},
		{"Common Development and Distribution License (CDDL) v1.0", "CDDL-1.0", "ORT declared"},
		{"CPL", "CPL-1.0", "ORT simple"},
		{"Eclipse Distribution License - v 1.0", "BSD-3-Clause", "ORT declared"},
		{"Eclipse Distribution License v. 1.0", "BSD-3-Clause", "ORT declared"},
		{"Eclipse Distribution License (EDL), Version 1.0", "BSD-3-Clause", "ORT declared"},
		{"GNU General Public License (GPL), version 2, with the Classpath exception", "GPL-2.0-only WITH Classpath-exception-2.0", "ORT declared"},
		{"GNU General Public License, Version 2 with the Classpath Exception", "GPL-2.0-only WITH Classpath-exception-2.0", "ORT declared"},
		{"GNU General Public License, version 2 (GPL2), with the classpath exception", "GPL-2.0-only WITH Classpath-exception-2.0", "ORT declared"},
		{"GNU General Public License, version 2 with the GNU Classpath Exception", "GPL-2.0-only WITH Classpath-exception-2.0", "ORT declared"},
		{"GNU Lesser General Public License", "LGPL-2.1-or-later", "ORT declared, ambiguous section"},
		{"GNU Lesser General Public Licence", "LGPL-2.1-or-later", "ORT declared, ambiguous section"},
		{"GPL v2", "GPL-2.0-only", "ORT declared"},
		{"LGPL, version 2.1", "LGPL-2.1-only", "ORT declared"},
		{"Lesser General Public License, version 3 or greater", "LGPL-3.0-or-later", "ORT declared"},
		{"lgpl", "LGPL-2.0-or-later", "ORT simple, ambiguous section"},
		{"lgpl_v2_1", "LGPL-2.1-only", "loose key 'lgpl 2.1'; SPDX deprecated id LGPL-2.1 read as -only"},
		{"MPL 2.0 or EPL 1.0", "MPL-2.0 OR EPL-1.0", "ORT declared"},
		{"The GNU General Public License, v2 with FOSS exception", "GPL-2.0-only WITH Universal-FOSS-exception-1.0", "ORT declared"},
		{"The W3C License", "W3C", "ORT declared"},
		{"The W3C Software License", "W3C", "ORT declared"},
		{"WTFPL OR ISC", "WTFPL OR ISC", "SPDX ids"},
		{"(MIT OR GPL-3.0)", "MIT OR GPL-3.0-only", "deprecated GPL-3.0 in an expression"},
		{"(CDDL-1.0 OR GPL-2.0-with-classpath-exception)", "CDDL-1.0 OR (GPL-2.0-only WITH Classpath-exception-2.0)", "deprecated id with an exception in an expression"},
		{"LGPL-3.0", "LGPL-3.0-only", "deprecated id"},
		{"LGPL-2.1+", "LGPL-2.1-or-later", "deprecated id"},
		{"http://www.gnu.org/software/classpath/license.html", "GPL-2.0-only WITH Classpath-exception-2.0", "ORT declared (URL key)"},
		{"http://www.json.org/license.html", "JSON", "ScanCode: URL of json"},
		{"http://www.sun.com/cddl/cddl.html", "CDDL-1.0", "ScanCode: URL of cddl-1.0"},
		{"https://glassfish.dev.java.net/public/CDDLv1.0.html", "CDDL-1.0", "ScanCode: URL of cddl-1.0"},
		{"http://www.eclipse.org/legal/epl-v10.html", "EPL-1.0", "ORT declared"},
		{"https://www.eclipse.org/legal/epl-2.0", "EPL-2.0", "ScanCode and SPDX: URL of EPL-2.0 (efsl-1.0, a ScanCode-only licence, also lists it)"},
		{"http://www.gnu.org/licenses/gpl-2.0.txt", "GPL-2.0-only", "ScanCode: gpl-2.0 and gpl-2.0-plus both list it; -only"},
		{"https://spdx.org/licenses/Unlicense.html", "Unlicense", "the SPDX page of Unlicense"},
		{"http://glassfish.java.net/public/CDDL+GPL_1_1.html", "CDDL-1.1", "ScanCode lists it as a URL of cddl-1.1 (the page holds the CDDL 1.1 and the GPL 2 with CPE; ScanCode's reading is kept)"},
		// Not in any source: unknown, not guessed.
		{"http://repository.jboss.org/licenses/cc0-1.0.txt", "", "a JBoss mirror of the CC0 text; in no source"},
		{"http://openjdk.java.net/legal/gplv2+ce.html", "", "in no source"},
		{"http://www.opensource.org/licenses/bsd-license.php", "", "ScanCode lists it for BSD-2-Clause, BSD-4-Clause and another: several licences"},
	})
}

// How many distinct licence strings of the real SBOMs are read. Before
// this package, licenses.Parse read 49 of these 176 strings (its ~60
// hand-written names and SPDX ids; measured at the commit that added this
// package). The ones still unknown are project licence files
// (github.com/.../LICENSE), mirrors no source lists (repository.jboss.org),
// pages that name several licences or no version (gnu.org/licenses/lgpl.html,
// opensource.org/licenses/bsd-license.php) and "GooglePatentClause".
func TestRealSBOMStrings(t *testing.T) {
	all := realStrings(t, "")
	read := 0
	for _, s := range all {
		if Resolve(s).Expr != "" {
			read++
		} else {
			t.Logf("not read: %q", s)
		}
	}
	t.Logf("read %d of %d distinct licence strings", read, len(all))
	if len(all) != 176 || read < 131 {
		t.Errorf("read %d of %d, want at least 131 of 176", read, len(all))
	}
	kc := realStrings(t, "keycloak")
	kread := 0
	for _, s := range kc {
		if Resolve(s).Expr != "" {
			kread++
		}
	}
	t.Logf("Keycloak: read %d of %d", kread, len(kc))
}
