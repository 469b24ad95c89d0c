"""Personal data encrypted at rest with SM4 (issue 16 item 5): the columns become ciphertext,
blind indexes are added, and the existing rows are encrypted in batches (zhifa/common/dataencrypt.py)."""

import zhifa.common.fields
from django.db import migrations

from zhifa.common.dataencrypt import decrypt_existing, encrypt_existing


class Migration(migrations.Migration):

    dependencies = [
        ('disclosure', '0010_publication_confiscation'),
    ]

    operations = [
        migrations.AddField(
            model_name='complaint',
            name='contact_bidx',
            field=zhifa.common.fields.BlindIndexField(db_index=True, kind='phone', max_length=64, source='contact'),
        ),
        migrations.AlterField(
            model_name='complaint',
            name='contact',
            field=zhifa.common.fields.EncryptedCharField(blank=True, max_length=100, verbose_name='联系方式（不公开）'),
        ),
        migrations.AlterField(
            model_name='creditrepair',
            name='contact',
            field=zhifa.common.fields.EncryptedCharField(blank=True, help_text='网上申请时当事人留下的联系方式，仅供执法机关使用，不公开', max_length=100, verbose_name='联系方式'),
        ),
        migrations.AlterField(
            model_name='publication',
            name='source_text',
            field=zhifa.common.fields.EncryptedTextField(verbose_name='决定书原文（内部）'),
        ),
        migrations.AlterField(
            model_name='publication',
            name='spans',
            field=zhifa.common.fields.EncryptedJSONField(blank=True, default=list, verbose_name='隐去内容'),
        ),
        migrations.RunPython(encrypt_existing('disclosure', 'complaint'), decrypt_existing('disclosure', 'complaint')),
        migrations.RunPython(encrypt_existing('disclosure', 'creditrepair'), decrypt_existing('disclosure', 'creditrepair')),
        migrations.RunPython(encrypt_existing('disclosure', 'publication'), decrypt_existing('disclosure', 'publication')),
    ]
