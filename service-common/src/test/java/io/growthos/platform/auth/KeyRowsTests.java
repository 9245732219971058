package io.growthos.platform.auth;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.growthos.model.keys.ApiKeys;
import io.growthos.model.keys.KeyType;
import org.junit.jupiter.api.Test;

/**
 * What {@link KeyRows} refuses before it writes anything (the rows it writes are read back in
 * {@link KeyAuthenticatorTests}).
 */
class KeyRowsTests {

  @Test
  void anAdminKeyIsNotStoredAsAWorkspaceKey() {
    String admin = ApiKeys.generate(KeyType.ADMIN);
    assertThatIllegalArgumentException()
        .isThrownBy(() -> KeyRows.insertApiKey(null, "ws_1", KeyType.ADMIN, "x", admin))
        .withMessageContaining("insertAdminKey");
  }

  @Test
  void aKeyOfAnotherTypeOrShapeIsRefused() {
    String write = ApiKeys.generate(KeyType.WRITE);
    assertThatIllegalArgumentException()
        .isThrownBy(() -> KeyRows.insertApiKey(null, "ws_1", KeyType.SECRET, "x", write))
        .withMessage("not a well-formed secret key");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> KeyRows.insertAdminKey(null, "x", write))
        .withMessage("not a well-formed admin key");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> KeyRows.insertApiKey(null, "ws_1", KeyType.WRITE, "x", write + "0"))
        .withMessage("not a well-formed write key");
  }
}
