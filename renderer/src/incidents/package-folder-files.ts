/** A package folder the user dropped or chose, as its files with paths that start at the folder's name. */
export interface PackageFile {
  file: File;
  /** `WR-CASE-1-…/master/cam.mp4`: the folder's own name, then the path inside it. */
  relativePath: string;
}

const ONE_FOLDER = 'Drop one package folder (the WR-… folder itself), not files or several folders.';

const fileOf = (entry: FileSystemFileEntry) => new Promise<File>((resolve, reject) => entry.file(resolve, reject));
const batchOf = (reader: FileSystemDirectoryReader) => new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));

/**
 * Every file under a dropped folder. Call it from the drop handler itself: the browser only hands out
 * the folder entry during the event; walking it afterwards is fine.
 */
export async function filesFromDrop(data: DataTransfer): Promise<PackageFile[]> {
  const entries = [...data.items].map((item) => item.webkitGetAsEntry()).filter((e): e is FileSystemEntry => e !== null);
  const folder = entries[0];
  if (entries.length !== 1 || !folder?.isDirectory) throw new Error(ONE_FOLDER);
  const files: PackageFile[] = [];
  const walk = async (entry: FileSystemEntry, prefix: string): Promise<void> => {
    if (entry.isFile) {
      files.push({ file: await fileOf(entry as FileSystemFileEntry), relativePath: `${prefix}${entry.name}` });
      return;
    }
    const reader = (entry as FileSystemDirectoryEntry).createReader();
    // readEntries answers in batches until it answers with none.
    for (let batch = await batchOf(reader); batch.length > 0; batch = await batchOf(reader)) {
      for (const child of batch) await walk(child, `${prefix}${entry.name}/`);
    }
  };
  await walk(folder, '');
  return files;
}

/** The files of a folder chosen with `<input type="file" webkitdirectory>`. */
export function filesFromInput(list: readonly File[]): PackageFile[] {
  const files = list.map((file) => ({ file, relativePath: file.webkitRelativePath }));
  if (files.length === 0 || files.some((f) => !f.relativePath.includes('/'))) throw new Error(ONE_FOLDER);
  return files;
}
