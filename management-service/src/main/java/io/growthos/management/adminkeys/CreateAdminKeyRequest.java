package io.growthos.management.adminkeys;

import jakarta.validation.constraints.Size;

/** A new admin key; the name is a label for operators. */
public record CreateAdminKeyRequest(@Size(max = 200) String name) {}
