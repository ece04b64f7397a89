import { Type } from '@nestjs/common';

/** The DTO class an API route validates a parameter with (as Nest reads it), for a page to validate its form alike. */
export function apiParameterType(controller: Type, method: string, index: number): Type<object> {
  const types = Reflect.getMetadata('design:paramtypes', controller.prototype, method) as Type<object>[] | undefined;
  const type = types?.[index];
  if (!type) throw new Error(`${controller.name}.${method} has no parameter ${index} to validate with`);
  return type;
}
