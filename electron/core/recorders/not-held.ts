/** A relay or recording asked of a recorder that does not hold the camera's lease (any more): ask the directory again. */
export class NotHeld extends Error {}
