import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

/** The body of `POST /notes`. The MCP `create-note` tool takes the same shape. */
export class CreateNoteDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  text!: string;
}
