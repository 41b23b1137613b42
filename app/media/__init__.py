"""Media metadata of uploaded files: ffprobe (Debian's ``ffmpeg``) run by a background job."""
