package io.growthos.management.adminkeys;

import io.growthos.management.web.NotBlankText;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** A new admin key; the name is a label for operators. */
public record CreateAdminKeyRequest(
    @Size(max = 200) @Pattern(regexp = NotBlankText.REGEXP, message = NotBlankText.MESSAGE)
        String name) {}
