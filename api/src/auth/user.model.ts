import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import type { Role as RoleName, UserRecord } from '../store/records.js';

export enum Role {
  USER = 'USER',
  ADMIN = 'ADMIN',
}
registerEnumType(Role, { name: 'Role', description: 'What a user may do: ADMIN may see and manage everything.' });

@ObjectType({ description: 'A person with an account.' })
export class User {
  @Field(() => ID)
  id: string;

  @Field({ description: 'Case-folded, unique, never changes.' })
  username: string;

  @Field(() => Role)
  role: RoleName;

  @Field()
  createdAt: Date;

  static from(record: UserRecord): User {
    return Object.assign(new User(), {
      id: record.id,
      username: record.username,
      role: record.role,
      createdAt: record.createdAt,
    });
  }
}
