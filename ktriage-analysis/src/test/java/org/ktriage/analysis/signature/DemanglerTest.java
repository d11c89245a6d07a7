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
  }
}
