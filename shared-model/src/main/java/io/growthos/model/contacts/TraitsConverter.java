package io.growthos.model.contacts;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/**
 * Maps {@link Traits} to its jsonb column as JSON text (Hibernate 7.2 ships only a Jackson 2 JSON
 * mapper and the apps run Jackson 3, so the column is text with a {@code ::jsonb} cast on write).
 */
@Converter
class TraitsConverter implements AttributeConverter<Traits, String> {

  @Override
  public String convertToDatabaseColumn(Traits traits) {
    return (traits == null ? Traits.EMPTY : traits).toJson();
  }

  @Override
  public Traits convertToEntityAttribute(String json) {
    return Traits.fromJson(json);
  }
}
