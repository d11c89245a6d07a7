package org.ktriage.analysis.signature;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DemanglerTest {
  @Test
  void rustV0InherentImplMethod() {
    // From a real Rust Binder overflow panic (syzkaller report corpus).
    assertThat(
            Demangler.demangle(
                "_RNvMs3_NtCshgDM7dBCdno_11rust_binder7processNtB5_7Process10update_ref"))
        .isEqualTo("<rust_binder::process::Process>::update_ref");
  }

  @Test
  void rustV0PlainFunctionAndCrateRoot() {
    assertThat(Demangler.demangle("_RNvNtCs9jEwPDbx20M_4core9panicking9panic_fmt"))
        .isEqualTo("core::panicking::panic_fmt");
    assertThat(Demangler.demangle("_RNvCscSpY9Juk0HT_7___rustc17rust_begin_unwind"))
        .isEqualTo("__rustc::rust_begin_unwind");
  }

  @Test
  void itaniumNamesLoseTheirParameters() {
    assertThat(Demangler.demangle("_Z8fakeNameiii")).isEqualTo("fakeName");
    assertThat(Demangler.demangle("_ZN4core3fmt5write17h0123456789abcdefE"))
        .isEqualTo("core::fmt::write");
  }

  @Test
  void cNamesAndGarbageAreKept() {
    assertThat(Demangler.demangle("ip6_send_skb")).isEqualTo("ip6_send_skb");
    assertThat(Demangler.demangle("_RNvZZZ")).isEqualTo("_RNvZZZ");
    assertThat(Demangler.demangle("_Z")).isEqualTo("_Z");
    assertThat(Demangler.demangle("_RB_")).isEqualTo("_RB_");
    // cut or garbled names are kept as printed, by the parser's own checks (no exception escapes)
    String rust = "_RNvNtCs9jEwPDbx20M_4core9panicking9panic_fmt";
    for (int cut = 2; cut < rust.length(); cut++) {
      String part = rust.substring(0, cut);
      assertThat(Demangler.demangle(part)).as(part).isEqualTo(part);
    }
    assertThat(Demangler.demangle("_RNvCs_99999999999999999999_3abc"))
        .isEqualTo("_RNvCs_99999999999999999999_3abc");
    assertThat(Demangler.demangle("_RNvCs_4core999999_x")).isEqualTo("_RNvCs_4core999999_x");
    assertThat(Demangler.demangle("_RNvBzzzzzzzzzzzzzz_3abc"))
        .isEqualTo("_RNvBzzzzzzzzzzzzzz_3abc");
    assertThat(Demangler.demangle("_Z99999999999abc")).isEqualTo("_Z99999999999abc");
    assertThat(Demangler.demangle("_ZN3abc99999999999E")).isEqualTo("_ZN3abc99999999999E");
  }
}
