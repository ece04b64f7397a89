import { Body, Controller, Get, HttpCode, Inject, Param, Patch, Post } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, MaxLength } from 'class-validator';
import { STAFF_ROLES, StaffRole, StaffUser } from '@scope-ledger/domain';
import { CommandContext } from '@scope-ledger/platform';
import { StaffApi } from '../auth/staff-auth.guard';
import { PASSWORD_LINK_HOURS, StaffUsers, StaffUserView } from '../auth/staff-users.service';
import { ServerConfig } from '../config';
import { ProblemException } from '../http/problem-details.filter';
import { StaffContext, uuid } from '../http/request-context';
import { SERVER_CONFIG } from '../platform.token';
import { IsText } from '../projects/dto/common.dto';
import { Answers, list } from '../http/answers';
import { StaffUserAdded, StaffUserAnswer } from './admin.schemas';

const roleMessage = `role must be one of ${STAFF_ROLES.join(', ')}`;

export class AddStaffUserDto {
  @ApiProperty({ example: 'Priya Raman' })
  @IsText(200)
  name!: string;

  @ApiProperty({ example: 'priya@northwind-it.example', format: 'email' })
  @MaxLength(254)
  @IsEmail({}, { message: 'email must be an email address' })
  email!: string;

  @ApiProperty({ enum: STAFF_ROLES })
  @IsIn(STAFF_ROLES as string[], { message: roleMessage })
  role!: StaffRole;
}

export class UpdateStaffUserDto {
  @ApiPropertyOptional({ example: 'Priya Raman-Shah' })
  @IsOptional()
  @IsText(200)
  name?: string;

  @ApiPropertyOptional({ enum: STAFF_ROLES })
  @IsOptional()
  @IsIn(STAFF_ROLES as string[], { message: roleMessage })
  role?: StaffRole;
}

/** A user as the API shows them: no secrets, only whether a password and TOTP are set. */
export function userAnswer(user: StaffUser & Partial<Pick<StaffUserView, 'lastSignInAt'>>) {
  return {
    id: user.userId,
    name: user.name,
    email: user.email,
    role: user.role,
    active: user.active,
    addedAt: user.addedAt,
    deactivatedAt: user.deactivatedAt ?? null,
    password: Boolean(user.passwordSetAt),
    totp: Boolean(user.totpEnrolledAt),
    lastSignInAt: user.lastSignInAt ?? null,
  };
}

/** Staff users, admins only: every change is an event in the stream `staff` naming the admin who made it. */
@StaffApi('admin', 'admin')
@Controller('api/admin/users')
export class UsersController {
  constructor(
    private readonly users: StaffUsers,
    @Inject(SERVER_CONFIG) private readonly config: ServerConfig,
  ) {}

  @Get()
  @ApiOperation({ summary: 'List staff users with role, status, sign-in methods and last sign-in' })
  @Answers(200, list(StaffUserAnswer))
  async list() {
    return (await this.users.list()).map(userAnswer);
  }

  @Post()
  @ApiOperation({
    summary: 'Add a user',
    description: `The user, and a link to choose a password, valid once for ${PASSWORD_LINK_HOURS} hours.`,
  })
  @Answers(201, StaffUserAdded, { errors: [409, 422] })
  async add(@Body() dto: AddStaffUserDto, @StaffContext() context: CommandContext) {
    const user = await this.users.add(dto, context);
    const token = await this.users.newPasswordLink(user.userId);
    return { ...userAnswer(user), passwordLink: `${this.config.publicUrl}/app/set-password?token=${token}` };
  }

  @Patch(':userId')
  @ApiOperation({ summary: 'Rename a user or change their role (the last active admin stays admin)' })
  @Answers(200, StaffUserAnswer, { errors: [404, 409, 422] })
  async update(
    @Param('userId', uuid) userId: string,
    @Body() dto: UpdateStaffUserDto,
    @StaffContext() context: CommandContext,
  ) {
    await this.existing(userId);
    if (dto.name !== undefined) await this.users.rename(userId, dto.name, context);
    if (dto.role !== undefined) await this.users.changeRole(userId, dto.role, context);
    return userAnswer((await this.users.find(userId))!);
  }

  @Post(':userId/deactivate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Deactivate a user: their sessions end and their API keys stop working at once' })
  @Answers(200, StaffUserAnswer, { errors: [404, 409, 422] })
  async deactivate(@Param('userId', uuid) userId: string, @StaffContext() context: CommandContext) {
    await this.existing(userId);
    return userAnswer(await this.users.deactivate(userId, context));
  }

  @Post(':userId/reactivate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reactivate a user with their email, role, password and keys as before' })
  @Answers(200, StaffUserAnswer, { errors: [404, 409, 422] })
  async reactivate(@Param('userId', uuid) userId: string, @StaffContext() context: CommandContext) {
    await this.existing(userId);
    return userAnswer(await this.users.reactivate(userId, context));
  }

  private async existing(userId: string): Promise<StaffUser> {
    const user = await this.users.find(userId);
    if (!user) throw new ProblemException(404, 'Not found', 'No staff user with this id');
    return user;
  }
}
