import { Box } from '@mui/material';

export function Logo({ size = 28 }: { size?: number }) {
  return (
    <Box
      component="svg"
      viewBox="0 0 32 32"
      aria-hidden
      sx={{ width: size, height: size, flexShrink: 0, display: 'block' }}
    >
      <rect width="32" height="32" rx="7" fill="#1f2630" />
      <path
        d="M9 11l5 5-5 5"
        fill="none"
        stroke="#e0875f"
        strokeWidth="2.6"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
      <path d="M16 22h7" stroke="#e6edf3" strokeWidth="2.6" strokeLinecap="round" />
    </Box>
  );
}
