package io.growthos.bench.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonFieldsTest {

  @Test
  void readsAStringFieldWithEscapes() {
    String json = "{\"data\":[],\"has_more\":true,\"next_cursor\" : \"ab\\/c\\u0041\\\"\"}";

    assertThat(JsonFields.string(json, "next_cursor")).isEqualTo("ab/cA\"");
  }

  @Test
  void nullOrMissingFieldsReadAsNull() {
    assertThat(JsonFields.string("{\"next_cursor\":null}", "next_cursor")).isNull();
    assertThat(JsonFields.string("{\"data\":[]}", "next_cursor")).isNull();
  }

  @Test
  void countsOccurrences() {
    assertThat(JsonFields.count("{\"id\":\"c_1\"},{\"id\":\"c_2\"}", "\"id\":\"c_")).isEqualTo(2);
    assertThat(JsonFields.count("", "x")).isZero();
  }
}
