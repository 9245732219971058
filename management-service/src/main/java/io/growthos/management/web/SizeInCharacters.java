package io.growthos.management.web;

import io.growthos.model.values.TextLength;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.constraints.Size;

/**
 * {@code @Size} on a string counts characters (code points, {@link TextLength}), the one rule both
 * services measure client text by: Hibernate Validator's own validator counts UTF-16 units, so a
 * {@code user_id} of 200 emoji that identify stores (255 characters at most) was 400 here (400
 * units), and a name of 150 emoji was refused by {@code @Size(max = 200)}. Collections, maps and
 * arrays keep Hibernate Validator's validators; this one is the most specific for {@code String},
 * so it is the one chosen there. JSON Schema's {@code maxLength}, which springdoc writes from the
 * same annotation, counts characters too.
 */
public final class SizeInCharacters implements ConstraintValidator<Size, String> {

  private int min;
  private int max;

  @Override
  public void initialize(Size size) {
    this.min = size.min();
    this.max = size.max();
  }

  @Override
  public boolean isValid(String value, ConstraintValidatorContext context) {
    if (value == null) {
      return true;
    }
    int length = TextLength.of(value);
    return length >= min && length <= max;
  }
}
